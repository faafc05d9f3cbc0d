import { chart, grid, legend, magnitude, tick } from '../charts.js';
import { fmt } from '../dom.js';

// The study page's charts, from the API's already-downsampled series.
export function historyChart(el, history, { log = false } = {}) {
  // Read by tests to see live updates arrive.
  el.dataset.points = String(history.values.length);
  el.dataset.scale = log ? 'log' : 'linear';
  const m = magnitude(history.values.map(([, v]) => v));
  // A log axis spans any positive range itself; a linear one draws extreme values in units of a power of ten.
  const drawn = (points) => (log ? points : points.map(([n, v]) => [n, m.draw(v)]));
  chart(el, {
    tooltip: { trigger: 'item', formatter: (p) => `trial ${p.value[0]}: ${m.text(p.value[1])}` },
    legend,
    grid,
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
    yAxis: log
      ? { type: 'log', scale: true, name: 'value (log)', axisLabel: { formatter: tick } }
      : { type: 'value', scale: true, name: 'value', axisLabel: { formatter: m.label } },
    series: [
      { name: 'trial value', type: 'scatter', symbolSize: 5, data: drawn(history.values) },
      {
        name: 'best so far',
        type: 'line',
        step: 'end',
        showSymbol: false,
        data: drawn([...history.best, ...(history.values.length ? [[history.values.at(-1)[0], history.best.at(-1)?.[1]]] : [])]),
      },
    ],
  });
}

export function curvesChart(el, curves) {
  const pruned = curves.curves.filter((c) => c.state === 'pruned' && c.points.length);
  el.dataset.pruned = String(pruned.length);
  chart(el, {
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        p.seriesName === 'pruned at'
          ? `trial ${p.value[2]} pruned after epoch ${p.value[0]}: ${fmt(p.value[1])}`
          : `trial ${p.seriesName}: epoch ${p.value[0]}, ${fmt(p.value[1])}`,
    },
    grid,
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
    yAxis: { type: 'value', scale: true, name: curves.metric ?? '' },
    series: [
      ...curves.curves.map((c, i) => ({
        name: String(c.trial),
        type: 'line',
        showSymbol: false,
        // The best curves are drawn boldest; the rest fade so the shape of the crowd stays visible. Pruned: dashed.
        lineStyle: { width: i < 3 ? 2.5 : 1, opacity: i < 10 ? 0.9 : 0.35, type: c.state === 'pruned' ? 'dashed' : 'solid' },
        emphasis: { focus: 'series' },
        data: c.points,
      })),
      // Where each pruned trial was cut: a diamond at its last reported epoch.
      {
        name: 'pruned at',
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 8,
        itemStyle: { color: '#e0583a' },
        z: 5,
        data: pruned.map((c) => [...c.points.at(-1), c.trial]),
      },
    ],
  });
}

export function importanceChart(el, importance) {
  const params = [...importance.params].reverse();
  chart(el, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${(v * 100).toFixed(1)} %` },
    grid: { ...grid, left: 8 },
    xAxis: { type: 'value', max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'category', data: params.map((p) => p.param) },
    series: [{ type: 'bar', data: params.map((p) => p.importance) }],
  });
}
