import { fmt, h, panel, trialHref } from '../dom.js';

/** A shell word: the study name quoted when it holds anything but letters, digits, `.`, `_` and `-`. */
function shellWord(text) {
  return /^[\w.-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function gain(ensemble, single, direction) {
  if (ensemble === null || ensemble === undefined || single === null || single === undefined) return '—';
  const d = direction === 'maximize' ? ensemble - single : single - ensemble;
  // Differences within floating-point rounding of the scores are a tie, not a gain of 0 (or of 5.6e-17).
  if (Math.abs(d) <= 1e-12 * Math.max(Math.abs(ensemble), Math.abs(single))) return 'tie';
  return `${d > 0 ? 'better by' : 'worse by'} ${fmt(Math.abs(d))}`;
}

/** The study's ensemble: members and weights, scores against the best single trial, and how to export it. */
export function ensemblePanel(name, e, open = new Set()) {
  const command = `autotune export ${shellWord(name)} --ensemble --out DIR`;
  const code = h('code', {}, command);
  const status = h('span', { class: 'muted', role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(command);
          status.textContent = 'Copied.';
        } catch {
          // No clipboard (insecure origin or denied): select the command so it can be copied by hand.
          getSelection()?.selectAllChildren(code);
          status.textContent = 'Selected: press Ctrl+C to copy.';
        }
      },
    },
    'Copy command',
  );
  const best = e.bestSingle ?? {};
  return h(
    'section',
    { class: 'card', id: 'ensemble' },
    h('h2', {}, `Ensemble (${e.method}, ${e.members?.length ?? 0} members)`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'scores' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, e.metric ?? 'score'),
            h('th', { scope: 'col', class: 'num' }, 'Validation'),
            h('th', { scope: 'col', class: 'num' }, 'Test'),
          ),
        ),
        h(
          'tbody',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, 'Ensemble'),
            h('td', { class: 'num' }, fmt(e.validationScore)),
            h('td', { class: 'num' }, fmt(e.testScore)),
          ),
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row' },
              best.trial !== undefined ? h('a', { href: trialHref(name, best.trial) }, `Best single (trial ${best.trial})`) : 'Best single',
            ),
            h('td', { class: 'num' }, fmt(best.validationScore)),
            h('td', { class: 'num' }, fmt(best.testScore)),
          ),
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, 'Ensemble vs best single'),
            h('td', { class: 'num' }, gain(e.validationScore, best.validationScore, e.direction)),
            h('td', { class: 'num' }, gain(e.testScore, best.testScore, e.direction)),
          ),
        ),
      ),
    ),
    panel(
      open,
      'ensemble-members',
      {},
      h('summary', {}, 'Members and weights'),
      h(
        'table',
        {},
        h(
          'tbody',
          {},
          (e.members ?? []).map((m) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, h('a', { href: trialHref(name, m.trial) }, `Trial ${m.trial}`)),
              h('td', { class: 'num' }, `${(m.weight * 100).toFixed(1)} %`),
            ),
          ),
        ),
      ),
    ),
    h('p', {}, 'Export it (replace DIR; add --storage FILE unless it is ./autotune.db):'),
    h('div', { class: 'toolbar' }, h('pre', { class: 'command' }, code), copy, status),
  );
}
