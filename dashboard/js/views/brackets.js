import { h } from '../dom.js';

/** ASHA / Hyperband: per bracket, how many trials reached each rung (GET /brackets), as a table with bars. */
export function bracketsTable(data) {
  const rungs = Math.max(1, ...data.brackets.map((b) => b.reached.length));
  // Rung numbers under one group header: "Rung 0 … Rung 4" as column titles pushed a phone-width table out of its card.
  const head = [
    h(
      'tr',
      {},
      h('th', { scope: 'col', rowspan: 2 }, 'Bracket'),
      h('th', { scope: 'col', class: 'num', rowspan: 2 }, 'Trials'),
      h('th', { scope: 'colgroup', colspan: rungs, class: 'rungs' }, 'Reached rung'),
      h('th', { scope: 'col', rowspan: 2 }, 'States'),
    ),
    h(
      'tr',
      {},
      Array.from({ length: rungs }, (_, k) => h('th', { scope: 'col', class: 'num', 'aria-label': `rung ${k}` }, String(k))),
    ),
  ];
  const rows = data.brackets.map((b) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(b.bracket)),
      h('td', { class: 'num' }, b.trials),
      Array.from({ length: rungs }, (_, k) => {
        const n = b.reached[k] ?? 0;
        const share = b.trials ? n / b.trials : 0;
        // The bar is decoration; the number is the content.
        return h(
          'td',
          { class: 'num rung' },
          h('span', { class: 'bar', style: `--share:${share.toFixed(3)}`, 'aria-hidden': 'true' }),
          String(n),
        );
      }),
      h(
        'td',
        { class: 'states' },
        Object.entries(b.states)
          .map(([s, n]) => `${n} ${s}`)
          .join(', '),
      ),
    ),
  );
  // The explanation sits above the table, not in a <caption>: a caption is as wide as the table and was clipped with it.
  return h(
    'div',
    {},
    h('p', { class: 'muted' }, `Trials that reached each rung (${data.scheduler}; rung k+1 means promoted past rung k).`),
    h('div', { class: 'table-wrap' }, h('table', { id: 'brackets' }, h('thead', {}, head), h('tbody', {}, rows))),
  );
}
