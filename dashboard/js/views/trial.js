import { api } from '../api.js';
import { chart, grid, legend } from '../charts.js';
import { duration, fmt, h, stateBadge, studyHref, when, fill } from '../dom.js';
import { compareHref } from './trial-table.js';

function table(rows) {
  return h('table', {}, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, fmt(v))))));
}

export async function trialView(main, name, number) {
  const [t, study] = await Promise.all([api.trial(name, number), api.study(name)]);
  const best = study.bestTrial?.number;
  const metricNames = [...new Set(t.steps.flatMap((s) => Object.keys(s.metrics)))].sort();
  const curveEl = h('div', { class: 'chart', role: 'img', 'aria-label': 'Metrics per epoch' });
  fill(main,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Studies'), ' / ', h('a', { href: studyHref(name) }, name)),
    h('h1', {}, `Trial ${t.number} `, stateBadge(t.state)),
    h('ul', { class: 'facts' },
      h('li', {}, h('b', {}, 'Value: '), fmt(t.value)),
      h('li', {}, h('b', {}, 'Backend: '), t.backend ?? '—'),
      h('li', {}, h('b', {}, 'Seed: '), t.seed),
      h('li', {}, h('b', {}, 'Epochs: '), t.lastStep ?? '—'),
      h('li', {}, h('b', {}, 'Duration: '), duration(t.durationMs)),
      h('li', {}, h('b', {}, 'Started: '), when(t.startedAt)),
    ),
    best !== undefined && best !== t.number ? h('p', {}, h('a', { href: compareHref(name, [best, t.number]), id: 'compare-best' }, `Compare with the best trial (#${best})`)) : null,
    t.failReason ? h('p', { class: t.state === 'failed' ? 'error' : 'muted' }, h('b', {}, t.state === 'failed' ? 'Failure: ' : 'Reason: '), t.failReason) : null,
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Parameters'), table(Object.entries(t.params))),
      h('section', { class: 'card' }, h('h2', {}, 'Final metrics'), Object.keys(t.metrics).length ? table(Object.entries(t.metrics)) : h('p', { class: 'muted' }, 'None recorded.')),
    ),
    h('section', { class: 'card' }, h('h2', {}, 'Metrics per epoch'), t.steps.length ? curveEl : h('p', { class: 'muted' }, 'No epochs reported.')),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Diagnoses'),
        t.diagnoses.length ? h('ul', { class: 'plain' }, t.diagnoses.map((d) => h('li', {}, String(d)))) : h('p', { class: 'muted' }, 'None.')),
      h('section', { class: 'card' }, h('h2', {}, 'Artifacts'),
        t.artifacts.length ? h('ul', { class: 'plain' }, t.artifacts.map((a) => h('li', {}, `${a.kind}${a.bytes ? ` (${fmt(a.bytes)} bytes)` : ''}`))) : h('p', { class: 'muted' }, 'None kept.')),
    ),
    h('details', { class: 'card' }, h('summary', {}, 'System attributes'), h('pre', {}, JSON.stringify(t.systemAttrs, null, 2))),
  );
  if (t.steps.length) {
    chart(curveEl, {
      tooltip: { trigger: 'axis' },
      legend,
      grid,
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
      yAxis: { type: 'value', scale: true },
      series: metricNames.map((m) => ({ name: m, type: 'line', showSymbol: t.steps.length < 40, data: t.steps.filter((s) => m in s.metrics).map((s) => [s.step, s.metrics[m]]) })),
    });
  }
}
