import { api } from '../api.js';
import { release } from '../charts.js';
import { h } from '../dom.js';
import { prefs, setPref } from '../prefs.js';
import { heatmapChart } from './heatmap.js';
import { parallelChart } from './parallel.js';
import { pairChoice, paramChoice } from './param-choice.js';
import { slicesPanel } from './slices.js';
import { historyChart } from './study-charts.js';

const MAX_SLICES = 8;

/** A log-scale switch for the optimization history; offered only when every value is positive. */
export function historyScale(name, el, history) {
  const positive = history.values.every(([, v]) => v > 0);
  const box = h('input', { type: 'checkbox', checked: positive && prefs(name).historyLog === true, disabled: !positive });
  const draw = () => {
    release(el);
    historyChart(el, history, { log: box.checked });
  };
  box.addEventListener('change', () => {
    setPref(name, 'historyLog', box.checked);
    draw();
  });
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('label', {}, box, ' Log scale'),
    positive ? null : h('span', { class: 'muted' }, '(needs values above 0)'),
  );
  return { el: toolbar, draw };
}

/** The parameters the parallel-coordinates chart shows (all by default). */
export function parallelControls(name, el, trials, direction, space) {
  const names = space.params.filter((p) => p.distribution.kind !== 'const').map((p) => p.name);
  const stored = (prefs(name).parallel ?? []).filter((n) => names.includes(n));
  let chosen = stored.length ? stored : names;
  const draw = () => {
    release(el);
    parallelChart(el, trials, direction, space, chosen);
  };
  const choice =
    names.length > 1
      ? paramChoice({
          id: `parallel:${name}`,
          label: 'Axes',
          names,
          chosen,
          onChange: (next) => {
            chosen = next;
            setPref(name, 'parallel', next.length === names.length ? undefined : next);
            draw();
          },
        })
      : null;
  return { el: choice, draw };
}

/** The slices the user picked (at most 8), or the server's default of the most important parameters. */
export function loadSlices(name) {
  const chosen = prefs(name).slices;
  return chosen?.length ? api.slices(name, chosen).catch(() => api.slices(name)) : api.slices(name);
}

/** A slot holding the slice plots, with checkboxes choosing their parameters. */
export function slicesControls(name, slices, space) {
  const slot = h('div', {});
  let panel = slicesPanel(slices);
  slot.append(panel.el);
  const names = space.params.map((p) => p.name);
  const message = h('p', { class: 'error', role: 'status' });
  const choice =
    names.length > 1
      ? paramChoice({
          id: `slices:${name}`,
          label: 'Parameters',
          names,
          chosen: slices.slices.map((s) => s.name),
          max: MAX_SLICES,
          onChange: async (next) => {
            setPref(name, 'slices', next);
            try {
              message.textContent = '';
              const fresh = slicesPanel(await api.slices(name, next));
              release(slot);
              slot.replaceChildren(fresh.el);
              panel = fresh;
              panel.draw();
            } catch (error) {
              message.textContent = error.message;
            }
          },
        })
      : null;
  return { choice, el: h('div', {}, slot, message), draw: () => panel.draw() };
}

/** The heatmap of the user's chosen pair of numeric parameters, or the two most important by default. */
export function loadHeatmap(name, bins) {
  const chosen = prefs(name).heatmap;
  return chosen ? api.heatmap(name, { bins, ...chosen }).catch(() => api.heatmap(name, { bins })) : api.heatmap(name, { bins });
}

/** x and y pickers over the numeric parameters for the heatmap. */
export function heatmapControls(name, el, map, space, bins, direction) {
  const numeric = space.params.filter((p) => p.distribution.kind === 'float' || p.distribution.kind === 'int').map((p) => p.name);
  const message = h('p', { class: 'error', role: 'status' });
  const picker =
    map.x && numeric.length > 2
      ? pairChoice({
          label: 'heatmap',
          names: numeric,
          x: map.x.param,
          y: map.y.param,
          onChange: async (x, y) => {
            setPref(name, 'heatmap', { x, y });
            try {
              message.textContent = '';
              const fresh = await api.heatmap(name, { bins, x, y });
              el.setAttribute('aria-label', `Mean objective over ${x} and ${y}`);
              release(el);
              heatmapChart(el, fresh, direction);
            } catch (error) {
              message.textContent = error.message;
            }
          },
        })
      : null;
  return { el: h('div', {}, picker, message) };
}
