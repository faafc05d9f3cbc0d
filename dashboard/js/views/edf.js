import { chart, grid, tip } from '../charts.js';
import { fmt } from '../dom.js';

/** The objective's empirical distribution (GET /edf): the share of complete trials at or below each value. */
export function edfChart(el, edf) {
  el.dataset.edfPoints = String(edf.points.length);
  chart(el, {
    tooltip: {
      trigger: 'item',
      formatter: (p) => tip(`value ≤ ${fmt(p.value[0])}`, `${(p.value[1] * 100).toFixed(1)} % of ${edf.trials} trials`),
    },
    grid,
    xAxis: {
      type: 'value',
      scale: true,
      name: 'objective value',
      nameLocation: 'middle',
      nameGap: 24,
      axisLabel: { formatter: (v) => fmt(v) },
    },
    yAxis: { type: 'value', min: 0, max: 1, name: 'share of trials', axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    series: [
      { type: 'line', step: 'end', showSymbol: edf.points.length < 60, symbolSize: 4, data: [[edf.points[0][0], 0], ...edf.points] },
    ],
  });
}
