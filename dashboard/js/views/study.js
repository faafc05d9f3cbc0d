import { api } from '../api.js';
import { bracketsTable } from './brackets.js';
import { ensemblePanel } from './ensemble.js';
import { heatmapChart, heatmapLabels } from './heatmap.js';
import { timelineChart } from './timeline.js';
import { curvesChart, importanceChart } from './study-charts.js';
import { fmt, h, panel, stateBadge, trialHref, when, fill } from '../dom.js';
import { edfChart } from './edf.js';
import { notePanel } from './note.js';
import { loadRank, rankPanel } from './rank.js';
import { heatmapControls, historyScale, loadHeatmap, loadSlices, parallelControls, slicesControls } from './study-controls.js';
import { PAGE, trialTable } from './trial-table.js';

const PARALLEL_TRIALS = 300;
// Sorting, filter and page of each study's table survive the re-renders that live updates cause.
const tableQueries = new Map();
// So do the chosen learning-curve metric and which panels are open: { metric, open: Set of panel names }.
const choices = new Map();
const COUNTED_STATES = ['waiting', 'running', 'complete', 'pruned', 'failed'];

function choicesOf(name) {
  if (!choices.has(name)) choices.set(name, { metric: undefined, open: new Set() });
  return choices.get(name);
}

/**
 * Whether a live `update` tells the page something it does not show. Every stream opens with one (the study's state
 * and the trials changed at or after `since`, the newest of which the page already listed), so re-rendering on each
 * would reload the page in a loop.
 */
function isNews(update, study, stamp) {
  return (
    update.state !== study.state ||
    COUNTED_STATES.some((k) => (update.counts?.[k] ?? 0) !== (study.counts[k] ?? 0)) ||
    update.trials.some((t) => t.stamp > stamp)
  );
}
// Trials ticked for comparison, per study, across pages and re-renders.
const compareSelections = new Map();

function card(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

function chartBox(label) {
  return h('div', { class: 'chart', role: 'img', 'aria-label': label });
}

/** The study page; returns a cleanup function (closes the live-update stream). */
export async function studyView(main, name, { setLive, rerender }) {
  const study = await api.study(name);
  const remembered = choicesOf(name);
  const direction = study.direction;
  const rungs = study.scheduler === 'hyperband' || study.scheduler === 'asha';
  // About √n bins a side, so a few dozen trials do not scatter into single-trial cells.
  const bins = Math.min(20, Math.max(4, Math.round(Math.sqrt(study.counts.complete ?? 0))));
  const [history, chosenCurves, importance, space, slices, heatmap, brackets, best, timeline, edf, rank, note] = await Promise.all([
    api.history(name),
    api.curves(name, remembered.metric),
    api.importance(name),
    api.space(name),
    loadSlices(name),
    loadHeatmap(name, bins),
    rungs ? api.brackets(name) : null,
    // The parallel chart shows the best trials.
    api.trials(name, { state: 'complete', sort: 'value', order: direction === 'minimize' ? 'asc' : 'desc', limit: PARALLEL_TRIALS }),
    api.timeline(name),
    api.edf(name),
    loadRank(name),
    api.note(name),
  ]);
  // A remembered metric the study no longer reports falls back to the default one.
  const curves = chosenCurves.metrics.includes(chosenCurves.metric) || !remembered.metric ? chosenCurves : await api.curves(name);
  let query = tableQueries.get(name) ?? { sort: 'number', order: 'desc', offset: 0, limit: PAGE };
  const tableSlot = h('div', {});
  let shownPage = null;
  const loadTable = async () => {
    const params = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));
    let error = null;
    try {
      shownPage = await api.trials(name, params);
    } catch (e) {
      // A filter that names nothing: say so above the rows last shown, keeping what was typed.
      if (!query.where) throw e;
      error = e.message;
      shownPage ??= { total: 0, trials: [], stamp: 0 };
    }
    const draw = () =>
      tableSlot.replaceChildren(
        trialTable(name, shownPage, query, {
          error,
          paramNames: space.params.map((p) => p.name),
          selected: compareSelections.get(name) ?? new Set(),
          onChange: (next) => {
            query = next;
            tableQueries.set(name, next);
            void loadTable();
          },
          onSelect: (next) => {
            compareSelections.set(name, next);
            draw();
          },
        }),
      );
    draw();
    return shownPage;
  };

  const actions = h('div', { class: 'toolbar' });
  if (study.state === 'running') {
    actions.append(
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            if (!confirm(`Mark study "${name}" as stopped?`)) return;
            await api.stop(name);
            rerender();
          },
        },
        'Stop study',
      ),
    );
  }
  actions.append(
    h(
      'button',
      {
        type: 'button',
        class: 'danger',
        onclick: async () => {
          const typed = prompt(`This deletes study "${name}" and all its trials. Type its name to confirm:`);
          if (typed !== name) return;
          try {
            await api.remove(name);
            location.hash = '#/';
          } catch (error) {
            alert(error.message);
          }
        },
      },
      'Delete…',
    ),
  );

  const countsText =
    Object.entries(study.counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'no trials';
  const historyEl = chartBox('Optimization history');
  const curvesEl = chartBox('Learning curves');
  const importanceEl = chartBox('Parameter importance');
  const parallelEl = chartBox('Parallel coordinates of the best trials');
  const timelineEl = chartBox('Trials per worker over time');
  const heatmapEl = chartBox(heatmap.x ? `Mean objective over ${heatmap.x.param} and ${heatmap.y.param}` : 'Heatmap');
  const edfEl = chartBox('Empirical distribution of the objective');
  const historyControls = historyScale(name, historyEl, history);
  const parallel = parallelControls(name, parallelEl, best.trials, direction, space);
  const slicePanel = slicesControls(name, slices, space);
  const heatmapPicker = heatmapControls(name, heatmapEl, heatmap, space, bins, direction);
  const rankView = rankPanel(name, rank, space);
  const metricSelect =
    curves.metrics.length > 1
      ? h(
          'select',
          {
            'aria-label': 'learning-curve metric',
            onchange: async (e) => {
              remembered.metric = e.target.value;
              curvesChart(curvesEl, await api.curves(name, e.target.value));
            },
          },
          curves.metrics.map((m) => h('option', { value: m, selected: m === curves.metric }, m)),
        )
      : null;

  fill(
    main,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Studies')),
    h('h1', {}, `${study.name} `, stateBadge(study.state)),
    h(
      'ul',
      { class: 'facts' },
      h('li', {}, h('b', {}, 'Objective: '), `${direction} ${study.metric ?? 'value'}`),
      h('li', {}, h('b', {}, 'Trials: '), `${study.trials} (${countsText})`),
      h('li', {}, h('b', {}, 'Sampler: '), study.sampler ?? '—'),
      h('li', {}, h('b', {}, 'Scheduler: '), study.scheduler ?? '—'),
      h('li', {}, h('b', {}, 'Created: '), when(study.createdAt)),
    ),
    actions,
    h('section', { class: 'card' }, h('h2', {}, 'Note'), notePanel(name, note)),
    h(
      'div',
      { class: 'grid' },
      card(
        'Best trial',
        study.bestTrial
          ? h(
              'div',
              {},
              h(
                'p',
                {},
                h('a', { href: trialHref(name, study.bestTrial.number) }, `Trial ${study.bestTrial.number}`),
                `: ${fmt(study.bestTrial.value)}`,
              ),
              h(
                'table',
                {},
                h(
                  'tbody',
                  {},
                  Object.entries(study.bestTrial.params).map(([k, v]) =>
                    h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, fmt(v))),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'No complete trial yet.'),
      ),
      card(
        'Optimization history',
        history.values.length ? historyControls.el : null,
        history.values.length ? historyEl : h('p', { class: 'muted' }, 'No complete trial yet.'),
        history.downsampled ? h('p', { class: 'muted' }, 'Thinned to stay responsive.') : null,
      ),
      card(
        'Learning curves',
        metricSelect,
        curves.curves.length ? curvesEl : h('p', { class: 'muted' }, 'No epochs reported.'),
        curves.curves.some((c) => c.state === 'pruned')
          ? h('p', { class: 'muted' }, 'Dashed: pruned trials; ◆ marks the last epoch before pruning.')
          : null,
        curves.downsampled
          ? h(
              'p',
              { class: 'muted' },
              `Showing the best ${curves.curves.length} of ${curves.totalTrials} trials, thinned to at most ${curves.maxPoints} points.`,
            )
          : null,
      ),
      card(
        'Parameter importance',
        importance.params.length ? importanceEl : h('p', { class: 'muted' }, `Needs at least ${importance.minTrials} complete trials.`),
        h('p', { class: 'muted' }, `Method: ${importance.method}. Ignores interactions.`),
      ),
    ),
    card(
      'Parallel coordinates',
      best.trials.length ? parallel.el : null,
      best.trials.length ? parallelEl : h('p', { class: 'muted' }, 'No complete trial yet.'),
      best.total > best.trials.length
        ? h('p', { class: 'muted' }, `The best ${best.trials.length} of ${best.total} complete trials.`)
        : null,
      space.params.some((p) => p.distribution.log) ? h('p', { class: 'muted' }, 'Parameters sampled in log space have log axes.') : null,
    ),
    card(
      'Slices: objective against each parameter',
      slicePanel.choice,
      slices.slices.some((s) => s.points.length) ? slicePanel.el : h('p', { class: 'muted' }, 'No complete trial yet.'),
      h(
        'p',
        { class: 'muted' },
        `Complete trials; ${slices.slices.length} parameters (by default the most important)${slices.downsampled ? ', thinned to stay responsive' : ''}.`,
      ),
    ),
    h(
      'div',
      { class: 'grid' },
      heatmap.x
        ? card(
            'Two-parameter heatmap',
            heatmapPicker.el,
            heatmap.cells.length ? heatmapEl : h('p', { class: 'muted' }, 'No complete trial yet.'),
            h(
              'p',
              { class: 'muted' },
              `Mean objective of ${heatmap.trials} complete trials on a ${heatmapLabels(heatmap.x).length} × ${heatmapLabels(heatmap.y).length} grid of two parameters (by default the two most important; a cell per choice, and per integer when there are few); the better end is bright.`,
            ),
          )
        : null,
      card(
        'Empirical distribution (EDF)',
        edf.points.length ? edfEl : h('p', { class: 'muted' }, 'No complete trial yet.'),
        h(
          'p',
          { class: 'muted' },
          `The share of the ${edf.trials} complete trials whose objective is at or below each value: a steep rise ${direction === 'minimize' ? 'early' : 'late'} means most configurations do well.`,
        ),
      ),
      card('Rank plot', rank.points.length ? rankView.el : h('p', { class: 'muted' }, 'No complete trial yet.')),
      brackets?.brackets.length
        ? card(study.scheduler === 'hyperband' ? 'Hyperband brackets and rungs' : 'ASHA rungs', bracketsTable(brackets))
        : null,
    ),
    timeline.bars.length
      ? card(
          'Timeline',
          timelineEl,
          h(
            'p',
            { class: 'muted' },
            `Each bar a trial, coloured by state, on the worker slot that ran it${timeline.truncated ? '; the latest 2,000 trials' : ''}.`,
          ),
        )
      : null,
    study.ensemble ? ensemblePanel(name, study.ensemble, remembered.open) : null,
    h(
      'div',
      { class: 'grid' },
      study.dataQuality
        ? panel(
            remembered.open,
            'data-quality',
            { class: 'card' },
            h('summary', {}, 'Data quality'),
            h('pre', {}, JSON.stringify(study.dataQuality, null, 2)),
          )
        : null,
      panel(
        remembered.open,
        'configuration',
        { class: 'card' },
        h('summary', {}, 'Configuration'),
        h('pre', {}, JSON.stringify(study.config, null, 2)),
      ),
    ),
    card('Trials', tableSlot),
  );

  if (history.values.length) historyControls.draw();
  if (curves.curves.length) curvesChart(curvesEl, curves);
  if (importance.params.length) importanceChart(importanceEl, importance);
  if (best.trials.length) parallel.draw();
  if (slices.slices.some((s) => s.points.length)) slicePanel.draw();
  if (heatmap.x && heatmap.cells.length) heatmapChart(heatmapEl, heatmap, direction);
  if (timeline.bars.length) timelineChart(timelineEl, timeline);
  if (edf.points.length) edfChart(edfEl, edf);
  if (rank.points.length) rankView.draw();
  const page = await loadTable();

  // Live updates: refresh the page's data at most every few seconds while trials change. A finished study keeps its
  // stream (another process may resume it, or delete it) but is not called live.
  // A stopped study's trials may still be finishing: live while any runs.
  const running = study.state === 'running' || (study.counts.running ?? 0) > 0;
  const idleLabel = running ? 'live' : `${study.state}: not running`;
  const source = api.events(name, page.stamp);
  let pending = null;
  source.addEventListener('update', (event) => {
    if (!isNews(JSON.parse(event.data), study, page.stamp ?? 0)) return;
    setLive(`live: updated ${new Date().toLocaleTimeString()}`);
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      rerender({ keepScroll: true });
    }, 3000);
  });
  source.addEventListener('deleted', () => {
    location.hash = '#/';
  });
  source.onerror = () => setLive(running ? 'live: reconnecting…' : idleLabel);
  source.onopen = () => setLive(idleLabel);
  setLive(idleLabel);
  return () => {
    source.close();
    if (pending) clearTimeout(pending);
  };
}
