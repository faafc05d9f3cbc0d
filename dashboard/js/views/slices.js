import { chart, magnitude, tick, tip } from '../charts.js';
import { h } from '../dom.js';

/** Objective vs one parameter per small chart (GET /slices): log x for log-sampled parameters, categories for choices. */
export function slicesPanel(slices) {
  const boxes = slices.slices.map((s) => {
    const el = h('div', { class: 'chart small', role: 'img', 'aria-label': `Objective against ${s.name}` });
    return { s, el, figure: h('figure', { class: 'slice' }, h('figcaption', {}, s.name, s.distribution.log ? ' (log scale)' : ''), el) };
  });
  const draw = () => {
    for (const { s, el } of boxes) {
      const d = s.distribution;
      const categorical = d.kind === 'categorical' || s.points.some(([x]) => typeof x !== 'number');
      const log = !categorical && d.log && s.points.every(([x]) => x > 0);
      const xAxis = categorical
        ? { type: 'category', data: d.kind === 'categorical' ? d.choices.map(String) : [...new Set(s.points.map(([x]) => String(x)))] }
        : {
            type: log ? 'log' : 'value',
            scale: true,
            ...(log ? { min: d.low, max: d.high } : {}),
            axisLabel: { formatter: tick, hideOverlap: true },
          };
      const my = magnitude(s.points.map(([, y]) => y));
      const mx = magnitude(categorical || log ? [] : s.points.map(([x]) => x));
      if (!categorical && !log) Object.assign(xAxis, { axisLabel: { formatter: mx.label, hideOverlap: true } });
      if (d.kind === 'int') xAxis.minInterval = 1;
      chart(el, {
        tooltip: {
          trigger: 'item',
          formatter: (p) =>
            tip(`trial ${p.value[2]}`, `${s.name} = ${categorical ? p.value[0] : mx.text(p.value[0])}`, `value ${my.text(p.value[1])}`),
        },
        grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
        xAxis,
        yAxis: { type: 'value', scale: true, axisLabel: { formatter: my.label } },
        series: [
          { type: 'scatter', symbolSize: 5, data: s.points.map(([x, y, n]) => [categorical ? String(x) : mx.draw(x), my.draw(y), n]) },
        ],
      });
    }
  };
  const el = h(
    'div',
    { class: 'slices' },
    boxes.map((b) => b.figure),
  );
  return { el, draw };
}
