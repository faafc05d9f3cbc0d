import { chart, magnitude, tick } from '../charts.js';

const INACTIVE = '(inactive)';

/** One parallel axis per parameter: log for log-sampled numbers, categories for choices, linear otherwise. */
function axisFor(name, dim, dist, values) {
  if (dist?.kind === 'categorical' || values.some((v) => typeof v !== 'number')) {
    const choices = dist?.kind === 'categorical' ? dist.choices.map(String) : [...new Set(values.map(String))];
    return { dim, name, type: 'category', data: choices };
  }
  // ECharts' own labels print 1e-250 as 0.
  const axisLabel = { formatter: tick, hideOverlap: true };
  if (dist?.log && values.every((v) => v > 0))
    return { dim, name: `${name} (log)`, type: 'log', logBase: 10, min: dist.low, max: dist.high, axisLabel };
  // Integers get integer ticks (no 1.5 layers).
  return { dim, name, type: 'value', scale: true, axisLabel, ...(dist?.kind === 'int' ? { minInterval: 1 } : {}) };
}

/** Below this many pixels per axis, names and tick labels of neighbouring vertical axes collide (a phone). */
const MIN_AXIS_SPACING = 90;

/** Parallel coordinates of the best trials, axes shaped by the study's search space (GET /space); `chosen`: the axes shown. */
export function parallelChart(el, trials, direction, space, chosen = null) {
  const dists = new Map(space.params.map((p) => [p.name, p.distribution]));
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))]
    .filter((n) => dists.get(n)?.kind !== 'const' && (!chosen || chosen.includes(n)))
    .sort();
  const axes = names.map((name, dim) => {
    const values = trials.map((t) => t.params[name]).filter((v) => v !== undefined);
    const axis = axisFor(name, dim, dists.get(name), values);
    // Conditional parameters: trials where it was not sampled sit on their own category, or off a numeric axis.
    if (axis.type === 'category' && values.length < trials.length) axis.data = [...axis.data, INACTIVE];
    return axis;
  });
  el.dataset.axes = names.join(',');
  const values = trials.map((t) => t.value);
  const m = magnitude(values);
  // Higher is higher on the value axis in either direction; the colour marks the better end (blue).
  axes.push({ dim: names.length, name: 'value', type: 'value', scale: true, axisLabel: { formatter: m.label, hideOverlap: true } });
  const cell = (axis, v) => {
    if (v === undefined) return axis.type === 'category' ? INACTIVE : '-';
    return axis.type === 'category' ? String(v) : v;
  };
  // Too narrow for side-by-side axes: stack them, one row each, names at the left.
  const vertical = el.clientWidth / axes.length < MIN_AXIS_SPACING;
  if (vertical) el.style.height = `${axes.length * 56 + 40}px`;
  const drawn = values.map(m.draw);
  chart(el, {
    parallelAxis: axes,
    parallel: vertical
      ? {
          layout: 'vertical',
          left: 16,
          right: 24,
          top: 24,
          bottom: 24,
          parallelAxisDefault: {
            nameLocation: 'start',
            nameGap: 8,
            nameTextStyle: { fontSize: 11, align: 'left', verticalAlign: 'bottom', padding: [0, 0, 16, 0] },
          },
        }
      : { left: 40, right: 80, top: 50, bottom: 30, parallelAxisDefault: { nameTextStyle: { fontSize: 11 }, nameRotate: 0 } },
    visualMap: {
      show: false,
      dimension: names.length,
      min: Math.min(...drawn),
      max: Math.max(...drawn),
      inRange: { color: direction === 'maximize' ? ['#d94e5d', '#eac736', '#50a3ba'] : ['#50a3ba', '#eac736', '#d94e5d'] },
    },
    series: [
      {
        type: 'parallel',
        lineStyle: { width: 1, opacity: 0.6 },
        data: trials.map((t, i) => [...names.map((n, k) => cell(axes[k], t.params[n])), drawn[i]]),
      },
    ],
  });
}
