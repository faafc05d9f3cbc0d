import { h } from '../dom.js';

// Which choosers are unfolded, so a live re-render does not fold one the user is working in.
const unfolded = new Set();

/**
 * Checkboxes choosing which parameters a chart shows, folded away until wanted. At least one stays chosen, and at
 * most `max` (the server's limit for slices); `onChange` gets the chosen names in the order given. `id` names the
 * chooser on its page.
 */
export function paramChoice({ id, label, names, chosen, max = Infinity, onChange }) {
  const selected = new Set(chosen);
  const summary = h('summary', {});
  const boxes = names.map((n) => h('input', { type: 'checkbox', value: n, checked: selected.has(n) }));
  const refresh = () => {
    summary.textContent = `${label}: ${selected.size} of ${names.length}${max < names.length ? ` (at most ${max})` : ''}`;
    for (const box of boxes) box.disabled = box.checked ? selected.size === 1 : selected.size >= max;
  };
  for (const box of boxes) {
    box.addEventListener('change', () => {
      if (box.checked) selected.add(box.value);
      else selected.delete(box.value);
      refresh();
      onChange(names.filter((n) => selected.has(n)));
    });
  }
  refresh();
  const details = h(
    'details',
    { class: 'param-choice', open: unfolded.has(id), ontoggle: () => (details.open ? unfolded.add(id) : unfolded.delete(id)) },
    summary,
    h(
      'div',
      { class: 'choices' },
      boxes.map((box) => h('label', {}, box, ` ${box.value}`)),
    ),
  );
  return details;
}

/** Two selects choosing an x and a y parameter; `onChange(x, y)` only when they differ. */
export function pairChoice({ label, names, x, y, onChange }) {
  const message = h('span', { class: 'error', role: 'status' });
  const select = (axis, current) =>
    h(
      'select',
      { 'aria-label': `${label} ${axis} parameter`, onchange: () => changed() },
      names.map((n) => h('option', { value: n, selected: n === current }, n)),
    );
  const xs = select('x', x);
  const ys = select('y', y);
  const changed = () => {
    message.textContent = xs.value === ys.value ? 'Choose two different parameters.' : '';
    if (xs.value !== ys.value) onChange(xs.value, ys.value);
  };
  return h('div', { class: 'toolbar' }, h('label', {}, 'x ', xs), h('label', {}, 'y ', ys), message);
}
