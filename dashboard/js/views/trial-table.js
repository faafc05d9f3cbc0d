import { duration, fmt, h, stateBadge, trialHref } from '../dom.js';
import { dropDraft, keepFocus } from '../keep-focus.js';

export const PAGE = 50;
export const MAX_COMPARED = 8;

export function compareHref(name, numbers) {
  return `#/study/${encodeURIComponent(name)}/compare/${[...numbers].sort((a, b) => a - b).join(',')}`;
}

/**
 * The trial table: every column sorts (parameters and final metrics too, server-side), a filter of conditions such as
 * `lr < 0.01, activation = relu`, paging, and checkboxes choosing trials to compare side by side.
 */
export function trialTable(name, page, query, { onChange, error, paramNames, selected, onSelect }) {
  const sortButton = (key, label) => {
    const active = query.sort === key;
    return h(
      'button',
      {
        type: 'button',
        'aria-label': `sort by ${label}`,
        onclick: () => onChange({ ...query, sort: key, order: active && query.order === 'asc' ? 'desc' : 'asc', offset: 0 }),
      },
      label,
      active ? (query.order === 'asc' ? ' ▲' : ' ▼') : '',
    );
  };
  const header = (key, label, numeric = true) =>
    h(
      'th',
      {
        scope: 'col',
        class: numeric ? 'num' : null,
        'aria-sort': query.sort === key ? (query.order === 'asc' ? 'ascending' : 'descending') : null,
      },
      sortButton(key, label),
    );
  const metricNames = [...new Set(page.trials.flatMap((t) => Object.keys(t.metrics)))].sort();
  const stateSelect = h(
    'select',
    { 'aria-label': 'filter by state', onchange: (e) => onChange({ ...query, state: e.target.value, offset: 0 }) },
    ['', 'complete', 'pruned', 'failed', 'running', 'waiting'].map((s) =>
      h('option', { value: s, selected: s === (query.state ?? '') }, s || 'all states'),
    ),
  );
  const where = keepFocus(
    `where:${name}`,
    h('input', {
      type: 'search',
      class: 'where',
      value: query.where ?? '',
      'aria-label': 'filter trials by conditions',
      placeholder: 'filter: lr < 0.01, activation = relu',
      spellcheck: 'false',
    }),
  );
  const apply = () => onChange({ ...query, where: where.value.trim() || undefined, offset: 0 });
  where.addEventListener('keydown', (e) => e.key === 'Enter' && apply());
  const last = Math.min(page.total, query.offset + page.trials.length);
  const picked = [...selected];
  const toggle = (number, on) => {
    const next = new Set(selected);
    if (on) next.add(number);
    else next.delete(number);
    onSelect(next);
  };
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'toolbar' },
      stateSelect,
      where,
      h('button', { type: 'button', onclick: apply }, 'Filter'),
      query.where
        ? h(
            'button',
            {
              type: 'button',
              onclick: () => {
                dropDraft(`where:${name}`);
                onChange({ ...query, where: undefined, offset: 0 });
              },
            },
            'Clear',
          )
        : null,
    ),
    error ? h('p', { class: 'error', role: 'alert' }, error) : null,
    h(
      'div',
      { class: 'toolbar' },
      h('span', { class: 'muted' }, page.total ? `${query.offset + 1}–${last} of ${page.total}` : 'no trials'),
      h(
        'button',
        { type: 'button', disabled: query.offset === 0, onclick: () => onChange({ ...query, offset: Math.max(0, query.offset - PAGE) }) },
        '← Previous',
      ),
      h(
        'button',
        { type: 'button', disabled: last >= page.total, onclick: () => onChange({ ...query, offset: query.offset + PAGE }) },
        'Next →',
      ),
      h(
        'a',
        {
          class: picked.length >= 2 ? 'button' : 'button disabled',
          id: 'compare-link',
          'aria-disabled': picked.length < 2 ? 'true' : null,
          href: picked.length >= 2 ? compareHref(name, picked) : null,
        },
        `Compare selected (${picked.length})`,
      ),
      picked.length ? h('button', { type: 'button', onclick: () => onSelect(new Set()) }, 'Clear selection') : null,
      h('span', { class: 'muted' }, `tick 2–${MAX_COMPARED} trials`),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'trials' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Compare')),
            header('number', '#'),
            header('state', 'State', false),
            header('value', 'Value'),
            paramNames.map((p) => header(`params.${p}`, p)),
            metricNames.map((m) => header(`metrics.${m}`, m)),
            header('epochs', 'Epochs'),
            header('duration', 'Duration'),
            h('th', { scope: 'col' }, 'Backend'),
          ),
        ),
        h(
          'tbody',
          {},
          page.trials.map((t) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                h('input', {
                  type: 'checkbox',
                  'aria-label': `compare trial ${t.number}`,
                  checked: selected.has(t.number),
                  disabled: !selected.has(t.number) && selected.size >= MAX_COMPARED,
                  onchange: (e) => toggle(t.number, e.target.checked),
                }),
              ),
              h('td', { class: 'num' }, h('a', { href: trialHref(name, t.number) }, t.number)),
              h('td', {}, stateBadge(t.state)),
              h('td', { class: 'num' }, fmt(t.value)),
              paramNames.map((p) => h('td', { class: typeof t.params[p] === 'number' ? 'num' : null }, fmt(t.params[p]))),
              metricNames.map((m) => h('td', { class: 'num' }, fmt(t.metrics[m]))),
              h('td', { class: 'num' }, t.lastStep ?? '—'),
              h('td', { class: 'num' }, duration(t.durationMs)),
              h('td', {}, t.backend ?? '—'),
            ),
          ),
        ),
      ),
    ),
  );
}
