import { h } from '../dom.js';

/** ASHA / Hyperband: per bracket, how many trials reached each rung (GET /brackets), as a table with bars. */
export function bracketsTable(data) {
  const rungs = Math.max(1, ...data.brackets.map((b) => b.reached.length));
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Bracket'), h('th', { scope: 'col', class: 'num' }, 'Trials'),
    Array.from({ length: rungs }, (_, k) => h('th', { scope: 'col', class: 'num' }, `Rung ${k}`)),
    h('th', { scope: 'col' }, 'States'));
  const rows = data.brackets.map((b) => h('tr', {},
    h('th', { scope: 'row' }, String(b.bracket)),
    h('td', { class: 'num' }, b.trials),
    Array.from({ length: rungs }, (_, k) => {
      const n = b.reached[k] ?? 0;
      const share = b.trials ? n / b.trials : 0;
      // The bar is decoration; the number is the content.
      return h('td', { class: 'num rung' }, h('span', { class: 'bar', style: `--share:${share.toFixed(3)}`, 'aria-hidden': 'true' }), String(n));
    }),
    h('td', { class: 'states' }, Object.entries(b.states).map(([s, n]) => `${n} ${s}`).join(', ')),
  ));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'brackets' },
    h('caption', { class: 'muted' }, `Trials that reached each rung (${data.scheduler}; rung k+1 means promoted past rung k).`),
    h('thead', {}, head), h('tbody', {}, rows)));
}
