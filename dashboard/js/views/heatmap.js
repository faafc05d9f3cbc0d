import { chart, magnitude, tick, tip } from '../charts.js';

const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** One label per bin: the integer or category it stands for, else its range (integer ranges inclusive: 16–19). */
export function heatmapLabels(axis) {
  if (axis.values) return axis.values.map((v) => tick(v));
  return axis.edges.slice(0, -1).map((lo, i) => {
    const hi = axis.kind === 'int' ? axis.edges[i + 1] - 1 : axis.edges[i + 1];
    return axis.kind === 'int' && hi === lo ? tick(lo) : `${tick(lo)}–${tick(hi)}`;
  });
}

/** The mean objective over a grid of two numeric parameters (GET /heatmap); the better end is bright. */
export function heatmapChart(el, map, direction) {
  const m = magnitude(map.cells.map((c) => c[2]));
  const cells = map.cells.map(([i, j, mean, n]) => [i, j, m.draw(mean), n]);
  const means = cells.map((c) => c[2]);
  const xs = heatmapLabels(map.x);
  const ys = heatmapLabels(map.y);
  chart(el, {
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        tip(
          `${map.x.param} ${xs[p.value[0]]}`,
          `${map.y.param} ${ys[p.value[1]]}`,
          `mean ${m.text(p.value[2])} over ${p.value[3]} trial${p.value[3] === 1 ? '' : 's'}`,
        ),
    },
    grid: { left: 12, right: 90, top: 36, bottom: 36, containLabel: true },
    xAxis: {
      type: 'category',
      data: xs,
      name: `${map.x.param}${map.x.log ? ' (log bins)' : ''}`,
      nameLocation: 'middle',
      nameGap: 28,
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: 'category', data: ys, name: `${map.y.param}${map.y.log ? ' (log bins)' : ''}`, axisLabel: { hideOverlap: true } },
    visualMap: {
      // Cells are [x bin, y bin, mean, trials]: colour by the mean, not the last dimension.
      dimension: 2,
      min: Math.min(...means),
      max: Math.max(...means),
      text: [m.text(Math.max(...means)), m.text(Math.min(...means))],
      calculable: false,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemHeight: 160,
      formatter: m.label,
      inRange: { color: direction === 'minimize' ? [...VIRIDIS].reverse() : VIRIDIS },
    },
    series: [{ type: 'heatmap', data: cells, emphasis: { itemStyle: { borderColor: '#888', borderWidth: 1 } } }],
  });
}
