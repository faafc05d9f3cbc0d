import { chart, grid, legend, stateColour, tip } from '../charts.js';

const STATES = ['complete', 'pruned', 'failed', 'running', 'waiting'];

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
    legend: { ...legend, data: STATES.filter((state) => data.bars.some((b) => b.state === state)) },
    // One series per state, coloured as its badge, so the legend names the colours.
    series: STATES.filter((state) => data.bars.some((b) => b.state === state)).map((state) => ({
      name: state,
      type: 'custom',
      itemStyle: { color: stateColour(state) },
      encode: { x: [1, 2], y: 0 },
      data: data.bars.filter((b) => b.state === state).map((b) => [b.lane, seconds(b.start), seconds(b.end), b.number, b.state]),
      renderItem: (_params, api) => {
        const lane = api.value(0);
        const from = api.coord([api.value(1), lane]);
        const to = api.coord([api.value(2), lane]);
        const height = api.size([0, 1])[1] * 0.6;
        return {
          type: 'rect',
          shape: { x: from[0], y: from[1] - height / 2, width: Math.max(1, to[0] - from[0]), height },
          style: api.style(),
        };
      },
    })),
  });
}
