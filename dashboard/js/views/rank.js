import { api } from '../api.js';
import { rechart, tip } from '../charts.js';
import { fmt, h } from '../dom.js';
import { prefs, setPref } from '../prefs.js';
import { pairChoice } from './param-choice.js';

function axisFor(spec, values) {
  const d = spec.distribution;
  if (d.kind === 'categorical' || values.some((v) => typeof v !== 'number')) {
    return { type: 'category', data: d.kind === 'categorical' ? d.choices.map(String) : [...new Set(values.map(String))], name: spec.name };
  }
  const log = d.log && values.every((v) => v > 0);
  return { type: log ? 'log' : 'value', scale: true, name: `${spec.name}${log ? ' (log)' : ''}`, axisLabel: { formatter: (v) => fmt(v) } };
}

function draw(el, rank) {
  el.dataset.rankPoints = String(rank.points.length);
  el.setAttribute('aria-label', `Rank of the objective over ${rank.x.name} and ${rank.y?.name ?? 'the objective'}`);
  const yAxis = rank.y
    ? axisFor(
        rank.y,
        rank.points.map((p) => p[1]),
      )
    : { type: 'value', scale: true, name: 'value' };
  const xAxis = axisFor(
    rank.x,
    rank.points.map((p) => p[0]),
  );
  const cat = (axis, v) => (axis.type === 'category' ? String(v) : v);
  rechart(el, {
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        tip(
          ...[
            `trial ${p.value[4]}`,
            `${rank.x.name} = ${fmt(p.value[0])}`,
            rank.y ? `${rank.y.name} = ${fmt(p.value[1])}` : null,
            `value ${fmt(p.value[3])}, rank ${Math.round(p.value[2] * 100)} %`,
          ].filter(Boolean),
        ),
    },
    grid: { left: 12, right: 90, top: 30, bottom: 30, containLabel: true },
    xAxis: { ...xAxis, nameLocation: 'middle', nameGap: 28 },
    yAxis,
    // Rank share: 0 the best trial, 1 the worst; the best end is bright, as on the heatmap.
    visualMap: {
      dimension: 2,
      min: 0,
      max: 1,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemHeight: 160,
      text: ['worst', 'best'],
      calculable: false,
      inRange: { color: ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'] },
    },
    series: [{ type: 'scatter', symbolSize: 7, data: rank.points.map((p) => [cat(xAxis, p[0]), cat(yAxis, p[1]), p[2], p[3], p[4]]) }],
  });
}

/** The rank plot card's body: x and y parameter pickers over a chart of objective ranks (GET /rank). */
export function rankPanel(name, rank, space) {
  const el = h('div', { class: 'chart', role: 'img', 'aria-label': 'Rank plot' });
  const names = space.params.map((p) => p.name);
  const message = h('p', { class: 'error', role: 'status' });
  const picker =
    names.length > 1 && rank.y
      ? pairChoice({
          label: 'rank plot',
          names,
          x: rank.x.name,
          y: rank.y.name,
          onChange: async (x, y) => {
            setPref(name, 'rank', { x, y });
            try {
              message.textContent = '';
              draw(el, await api.rank(name, { x, y }));
            } catch (error) {
              message.textContent = error.message;
            }
          },
        })
      : null;
  const body = h(
    'div',
    {},
    picker,
    el,
    message,
    h(
      'p',
      { class: 'muted' },
      `Complete trials coloured by the rank of their objective (0 % the best), so an outlier does not flatten the colours${rank.downsampled ? '; thinned to stay responsive' : ''}.`,
    ),
  );
  return { el: body, draw: () => rank.x && draw(el, rank) };
}

/** The rank plot the user last chose, or the default pair when that choice no longer fits the study. */
export function loadRank(name) {
  const chosen = prefs(name).rank;
  return chosen ? api.rank(name, chosen).catch(() => api.rank(name)) : api.rank(name);
}
