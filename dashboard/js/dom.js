// Builds elements with text content only: data from the database never becomes HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function fmt(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    // Past 2^53 an integer prints all its digits (-9920000000000001e+291 as -9.920000000000001e+307): exponent form.
    if (Number.isSafeInteger(value)) return String(value);
    const abs = Math.abs(value);
    return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(3) : value.toPrecision(4).replace(/\.?0+$/, '');
  }
  return String(value);
}

export function when(ms) {
  return ms ? new Date(ms).toLocaleString() : '—';
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function stateBadge(state) {
  return h('span', { class: `state state-${state}` }, state);
}

export function studyHref(name) {
  return `#/study/${encodeURIComponent(name)}`;
}

export function trialHref(name, number) {
  return `#/study/${encodeURIComponent(name)}/trial/${number}`;
}

// Element.replaceChildren would print null as "null": drop the absent parts of a view.
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/** A <details> panel that reopens after a re-render if the user had opened it: `open` is the set of open keys. */
export function panel(open, key, attrs, ...children) {
  return h(
    'details',
    { ...attrs, open: open.has(key), 'data-panel': key, ontoggle: (e) => (e.target.open ? open.add(key) : open.delete(key)) },
    ...children,
  );
}
