import { api } from '../api.js';
import { chart, grid, legend, orderOfMagnitude, tick } from '../charts.js';
import { duration, fmt, h, stateBadge, studyHref, when, fill } from '../dom.js';
import { compareHref } from './trial-table.js';

const family = (metric) => metric.replace(/^(val|test)_/, '');

/**
 * Metrics grouped so that each group shares a y-axis without flattening another: a metric and its val_/test_ twin
 * always together, and families whose largest values are within a factor of ten of each other in one group (loss,
 * accuracy and grad_norm near 1; samples_per_second in the thousands and learning_rate near 1e-3 on their own).
 * The group holding loss comes first.
 */
function metricGroups(steps) {
  const names = [...new Set(steps.flatMap((s) => Object.keys(s.metrics)))].sort();
  const families = new Map();
  for (const name of names) families.set(family(name), [...(families.get(family(name)) ?? []), name]);
  const scaled = [...families.values()]
    .map((metrics) => ({
      metrics,
      exponent: orderOfMagnitude(steps.flatMap((s) => metrics.map((m) => s.metrics[m]).filter((v) => typeof v === 'number'))),
    }))
    .sort((a, b) => a.exponent - b.exponent);
  const groups = [];
  for (const f of scaled) {
    const last = groups.at(-1);
    if (last && f.exponent - last.exponent <= 1) last.metrics.push(...f.metrics);
    else groups.push({ exponent: f.exponent, metrics: [...f.metrics] });
  }
  return groups.map((g) => g.metrics.sort()).sort((a, b) => Number(b.includes('loss')) - Number(a.includes('loss')) || b.length - a.length);
}

function table(rows) {
  return h(
    'table',
    {},
    h(
      'tbody',
      {},
      rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, fmt(v)))),
    ),
  );
}

export async function trialView(main, name, number) {
  const [t, study] = await Promise.all([api.trial(name, number), api.study(name)]);
  const best = study.bestTrial?.number;
  const groups = metricGroups(t.steps).map((metrics) => ({
    metrics,
    el: h('div', {
      class: 'chart small',
      role: 'img',
      'aria-label': `Per epoch: ${metrics.join(', ')}`,
      'data-metrics': metrics.join(','),
    }),
  }));
  fill(
    main,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Studies'), ' / ', h('a', { href: studyHref(name) }, name)),
    h('h1', {}, `Trial ${t.number} `, stateBadge(t.state)),
    h(
      'ul',
      { class: 'facts' },
      h('li', {}, h('b', {}, 'Value: '), fmt(t.value)),
      h('li', {}, h('b', {}, 'Backend: '), t.backend ?? '—'),
      h('li', {}, h('b', {}, 'Seed: '), t.seed),
      h('li', {}, h('b', {}, 'Epochs: '), t.lastStep ?? '—'),
      h('li', {}, h('b', {}, 'Duration: '), duration(t.durationMs)),
      h('li', {}, h('b', {}, 'Started: '), when(t.startedAt)),
    ),
    best !== undefined && best !== t.number
      ? h('p', {}, h('a', { href: compareHref(name, [best, t.number]), id: 'compare-best' }, `Compare with the best trial (#${best})`))
      : null,
    t.failReason
      ? h(
          'p',
          { class: t.state === 'failed' ? 'error' : 'muted' },
          h('b', {}, t.state === 'failed' ? 'Failure: ' : 'Reason: '),
          t.failReason,
        )
      : null,
    h(
      'div',
      { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Parameters'), table(Object.entries(t.params))),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Final metrics'),
        Object.keys(t.metrics).length ? table(Object.entries(t.metrics)) : h('p', { class: 'muted' }, 'None recorded.'),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Metrics per epoch'),
      t.steps.length
        ? h(
            'div',
            { class: 'metric-groups' },
            groups.map((g) => h('figure', { class: 'slice' }, h('figcaption', {}, g.metrics.join(', ')), g.el)),
          )
        : h('p', { class: 'muted' }, 'No epochs reported.'),
      t.steps.length && groups.length > 1
        ? h(
            'p',
            { class: 'muted' },
            'One chart per scale: a metric and its val_ twin share one; samples per second would flatten loss and accuracy.',
          )
        : null,
    ),
    h(
      'div',
      { class: 'grid' },
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Diagnoses'),
        t.diagnoses.length
          ? h(
              'ul',
              { class: 'plain' },
              t.diagnoses.map((d) => h('li', {}, String(d))),
            )
          : h('p', { class: 'muted' }, 'None.'),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Artifacts'),
        t.artifacts.length
          ? h(
              'ul',
              { class: 'plain' },
              t.artifacts.map((a) => h('li', {}, `${a.kind}${a.bytes ? ` (${fmt(a.bytes)} bytes)` : ''}`)),
            )
          : h('p', { class: 'muted' }, 'None kept.'),
      ),
    ),
    h('details', { class: 'card' }, h('summary', {}, 'System attributes'), h('pre', {}, JSON.stringify(t.systemAttrs, null, 2))),
  );
  for (const g of groups) {
    // The legend wraps instead of scrolling (a hidden metric is a line nobody can name); the plot starts below it.
    const rows = Math.ceil((g.metrics.length * 120) / Math.max(1, g.el.clientWidth));
    chart(g.el, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => fmt(v) },
      legend: { ...legend, type: 'plain' },
      grid: { ...grid, top: grid.top + 22 * (rows - 1) },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
      yAxis: { type: 'value', scale: true, axisLabel: { formatter: tick } },
      series: g.metrics.map((m) => ({
        name: m,
        type: 'line',
        showSymbol: t.steps.length < 40,
        data: t.steps.filter((s) => m in s.metrics).map((s) => [s.step, s.metrics[m]]),
      })),
    });
  }
}
