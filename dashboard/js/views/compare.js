import { api } from '../api.js';
import { chart, grid, legend, rechart } from '../charts.js';
import { duration, fill, fmt, h, stateBadge, studyHref, trialHref } from '../dom.js';

function curvesOption(data) {
  return {
    tooltip: { trigger: 'axis' },
    legend,
    grid,
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
    yAxis: { type: 'value', scale: true, name: data.metric ?? '' },
    series: data.curves.map((c) => ({
      name: `trial ${c.trial}`,
      type: 'line',
      showSymbol: c.points.length < 40,
      data: c.points,
      lineStyle: { type: c.state === 'pruned' ? 'dashed' : 'solid' },
    })),
  };
}

/** Rows of values side by side; rows where the trials disagree are marked (≠, and bold) and can be shown alone. */
function sideBySide(caption, trials, rows, onlyDiffering) {
  const shown = onlyDiffering ? rows.filter((r) => r.differs) : rows;
  return h(
    'table',
    { class: 'compare' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'name'),
        trials.map((t) => h('th', { scope: 'col', class: 'num' }, `#${t.number}`)),
      ),
    ),
    h(
      'tbody',
      {},
      shown.length
        ? shown.map((r) =>
            h(
              'tr',
              { class: r.differs ? 'differs' : null },
              h('th', { scope: 'row' }, r.differs ? '≠ ' : '', r.name),
              r.values.map((v) => h('td', { class: 'num' }, v === null ? '—' : fmt(v))),
            ),
          )
        : h('tr', {}, h('td', { colspan: trials.length + 1, class: 'muted' }, onlyDiffering ? 'All the same.' : 'None.')),
    ),
  );
}

/** Two to eight trials side by side: their parameters, final metrics and learning curves (GET /compare). */
export async function compareView(main, name, numbers) {
  const data = await api.compare(name, numbers);
  const curvesEl = h('div', { class: 'chart', role: 'img', 'aria-label': 'Learning curves of the compared trials' });
  const tables = h('div', {});
  let onlyDiffering = false;
  const drawTables = () =>
    fill(
      tables,
      h('div', { class: 'table-wrap' }, sideBySide('Parameters', data.trials, data.params, onlyDiffering)),
      h('div', { class: 'table-wrap' }, sideBySide('Final metrics', data.trials, data.metrics, onlyDiffering)),
    );
  drawTables();
  const metricSelect =
    data.curveMetrics.length > 1
      ? h(
          'select',
          {
            'aria-label': 'compared curve metric',
            onchange: async (e) => rechart(curvesEl, curvesOption(await api.compare(name, numbers, e.target.value))),
          },
          data.curveMetrics.map((m) => h('option', { value: m, selected: m === data.metric }, m)),
        )
      : null;
  fill(
    main,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Studies'), ' / ', h('a', { href: studyHref(name) }, name)),
    h('h1', {}, `Trials ${data.trials.map((t) => t.number).join(', ')} side by side`),
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'compare', id: 'compared' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'trial'),
              data.trials.map((t) => h('th', { scope: 'col', class: 'num' }, h('a', { href: trialHref(name, t.number) }, `#${t.number}`))),
            ),
          ),
          h(
            'tbody',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, 'state'),
              data.trials.map((t) => h('td', { class: 'num' }, stateBadge(t.state))),
            ),
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, 'value'),
              data.trials.map((t) => h('td', { class: 'num' }, fmt(t.value))),
            ),
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, 'epochs'),
              data.trials.map((t) => h('td', { class: 'num' }, t.lastStep ?? '—')),
            ),
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, 'duration'),
              data.trials.map((t) => h('td', { class: 'num' }, duration(t.durationMs))),
            ),
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, 'backend'),
              data.trials.map((t) => h('td', { class: 'num' }, t.backend ?? '—')),
            ),
          ),
        ),
      ),
      h(
        'label',
        { class: 'toolbar' },
        h('input', {
          type: 'checkbox',
          onchange: (e) => {
            onlyDiffering = e.target.checked;
            drawTables();
          },
        }),
        ' Only rows that differ',
      ),
      tables,
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Learning curves'),
      metricSelect,
      data.curves.some((c) => c.points.length) ? curvesEl : h('p', { class: 'muted' }, 'No epochs reported.'),
      data.curves.some((c) => c.state === 'pruned') ? h('p', { class: 'muted' }, 'Dashed: pruned trials.') : null,
    ),
  );
  if (data.curves.some((c) => c.points.length)) chart(curvesEl, curvesOption(data));
}
