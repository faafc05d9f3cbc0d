import * as echarts from '/vendor/echarts.esm.min.js';

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const live = new Set();
let drawing = [];

// Charts follow the colour scheme and the window size; views dispose of theirs when the page changes.
export function chart(el, option) {
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
