import { chart, grid, tip } from '../charts.js';

const STATE_COLOURS = { complete: '#3b82f6', pruned: '#f59e0b', failed: '#ef4444', running: '#10b981', waiting: '#9ca3af' };

/** Trials per worker lane over time (GET /timeline): stragglers and idle workers show as gaps and long bars. */
export function timelineChart(el, data) {
  const origin = Math.min(...data.bars.map((b) => b.start));
  const seconds = (t) => (t - origin) / 1000;
  return chart(el, {
    grid,
    tooltip: {
      formatter: (p) => {
        const [lane, start, end, number, state] = p.value;
        return tip(`trial ${number} (${state})`, `worker ${lane + 1}: ${start.toFixed(1)} s → ${end.toFixed(1)} s`);
      },
    },
    xAxis: { type: 'value', name: 'seconds since the first trial', nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'category', data: Array.from({ length: data.lanes }, (_, i) => `worker ${i + 1}`), inverse: true },
    series: [{
      type: 'custom',
      encode: { x: [1, 2], y: 0 },
      data: data.bars.map((b) => ({ value: [b.lane, seconds(b.start), seconds(b.end), b.number, b.state], itemStyle: { color: STATE_COLOURS[b.state] ?? '#6b7280' } })),
      renderItem: (params, api) => {
        const lane = api.value(0);
        const from = api.coord([api.value(1), lane]);
        const to = api.coord([api.value(2), lane]);
        const height = api.size([0, 1])[1] * 0.6;
        return { type: 'rect', shape: { x: from[0], y: from[1] - height / 2, width: Math.max(1, to[0] - from[0]), height }, style: api.style() };
      },
    }],
  });
}
