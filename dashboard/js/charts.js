import * as echarts from '/vendor/echarts.esm.min.js';
import { fmt } from './dom.js';

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const live = new Set();
let drawing = [];

// Charts follow the colour scheme and the window size; views dispose of theirs when the page changes.
export function chart(el, option) {
  // Redrawing into the same element (another metric chosen) replaces its chart instead of merging into it.
  const previous = echarts.getInstanceByDom(el);
  if (previous) {
    live.delete(previous);
    previous.dispose();
  }
  const instance = echarts.init(el, dark.matches ? 'dark' : null, { renderer: 'canvas' });
  // Listened for before setOption: a small chart may finish drawing within it.
  drawing.push(new Promise((done) => instance.on('finished', done)));
  instance.setOption({ backgroundColor: 'transparent', animation: false, ...option });
  live.add(instance);
  return instance;
}

/** Resolves once every chart created since the last call has drawn (ECharts' `finished`). */
export function chartsDrawn() {
  const pending = drawing;
  drawing = [];
  return Promise.all(pending);
}

export function disposeCharts() {
  for (const instance of live) instance.dispose();
  live.clear();
  drawing = [];
}

/** Disposes of the charts inside `root`, before a view replaces that part of the page. */
export function release(root) {
  for (const instance of live) {
    if (!root.contains(instance.getDom())) continue;
    instance.dispose();
    live.delete(instance);
  }
}

/** Draws `el` again from scratch: a chart whose parameters or scale the user changed. */
export function rechart(el, option) {
  release(el);
  return chart(el, option);
}

window.addEventListener('resize', () => {
  for (const instance of live) instance.resize();
});

/** An axis tick: fmt without trailing zeros in exponent form (1e-4, not 1.000e-4), so dense axes stay legible. */
export function tick(value) {
  return fmt(value).replace(/\.?0+e/, 'e');
}

export const grid = { left: 12, right: 24, top: 40, bottom: 24, containLabel: true };
export const legend = { type: 'scroll', top: 0 };

/** Tooltip content as DOM text nodes, one line each: names from the database are never parsed as HTML. */
export function tip(...lines) {
  const el = document.createElement('div');
  lines.forEach((line, i) => {
    if (i) el.append(document.createElement('br'));
    el.append(document.createTextNode(line));
  });
  return el;
}

/** floor(log10) of the largest finite |value|; 0 when there is none but zeros. */
export function orderOfMagnitude(values) {
  const max = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  return max > 0 ? Math.floor(Math.log10(max)) : 0;
}

/**
 * A unit for drawing numbers ECharts cannot scale itself: it takes spans as max − min, which overflows to Infinity
 * near ±1e308 (an empty chart) and prints zeros below 1e-20. Values past 1e100 or under 1e-100 in magnitude are
 * drawn as multiples of a power of ten (`draw`) and labelled in their own units (`label` on axes, `text` in tooltips).
 */
export function magnitude(values) {
  const order = orderOfMagnitude(values);
  const exponent = order >= 100 || order < -100 ? order : 0;
  const unit = 10 ** exponent;
  return {
    draw: (v) => (typeof v === 'number' ? v / unit : v),
    // Axis ticks stay short (1.2e308); `text` is for tooltips, at full precision.
    label: (v) => (exponent === 0 || typeof v !== 'number' ? tick(v) : v === 0 ? '0' : `${Number(v.toPrecision(3))}e${exponent}`),
    text: (v) => fmt(typeof v === 'number' ? v * unit : v),
  };
}

/** The colour of a state's badge (CSS), so charts and badges agree in light and dark. */
export function stateColour(state) {
  const probe = document.createElement('span');
  probe.className = `state state-${state}`;
  probe.hidden = true;
  document.body.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}
