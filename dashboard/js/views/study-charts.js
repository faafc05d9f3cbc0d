import { chart, grid, legend } from '../charts.js';
import { fmt } from '../dom.js';

// The study page's charts, from the API's already-downsampled series.
export function historyChart(el, history) {
  // Read by tests to see live updates arrive.
  el.dataset.points = String(history.values.length);
  chart(el, {
    tooltip: { trigger: 'item' },
    legend,
    grid,
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
    yAxis: { type: 'value', scale: true, name: 'value' },
    series: [
      { name: 'trial value', type: 'scatter', symbolSize: 5, data: history.values },
      { name: 'best so far', type: 'line', step: 'end', showSymbol: false, data: [...history.best, ...(history.values.length ? [[history.values.at(-1)[0], history.best.at(-1)?.[1]]] : [])] },
    ],
  });
}

export function curvesChart(el, curves) {
  chart(el, {
    tooltip: { trigger: 'item', formatter: (p) => `trial ${p.seriesName}: epoch ${p.value[0]}, ${fmt(p.value[1])}` },
    grid,
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
    yAxis: { type: 'value', scale: true, name: curves.metric ?? '' },
    series: curves.curves.map((c, i) => ({
      name: String(c.trial),
      type: 'line',
      showSymbol: false,
      // The best curves are drawn boldest; the rest fade so the shape of the crowd stays visible.
      lineStyle: { width: i < 3 ? 2.5 : 1, opacity: i < 10 ? 0.9 : 0.35 },
      emphasis: { focus: 'series' },
      data: c.points,
    })),
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

export function parallelChart(el, trials, direction) {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const axes = names.map((name, dim) => {
    const values = trials.map((t) => t.params[name]).filter((v) => v !== undefined);
    const numeric = values.every((v) => typeof v === 'number');
    return numeric ? { dim, name, type: 'value', scale: true } : { dim, name, type: 'category', data: [...new Set(values.map(String))] };
  });
  axes.push({ dim: names.length, name: 'value', type: 'value', scale: true, inverse: direction === 'maximize' });
  const values = trials.map((t) => t.value);
  chart(el, {
    parallelAxis: axes,
    parallel: { left: 40, right: 60, top: 40, bottom: 30 },
    visualMap: { show: false, dimension: names.length, min: Math.min(...values), max: Math.max(...values), inRange: { color: direction === 'maximize' ? ['#d94e5d', '#eac736', '#50a3ba'] : ['#50a3ba', '#eac736', '#d94e5d'] } },
    series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.6 }, data: trials.map((t) => [...names.map((n) => (n in t.params ? (typeof t.params[n] === 'number' ? t.params[n] : String(t.params[n])) : '-')), t.value]) }],
  });
}
