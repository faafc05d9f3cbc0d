import { api } from '../api.js';
import { fmt, h, stateBadge, studyHref, when, fill } from '../dom.js';

const STATES = ['complete', 'pruned', 'failed', 'running', 'waiting'];

export async function studiesView(main) {
  const { studies } = await api.studies();
  fill(main,
    h('h1', {}, 'Studies'),
    studies.length === 0
      ? h('p', { class: 'muted' }, 'No studies in this database yet. Run one with `autotune run`.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { id: 'studies' },
            h('caption', { class: 'muted' }, `${studies.length} stud${studies.length === 1 ? 'y' : 'ies'}`),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Study'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col', class: 'num' }, 'Trials'),
              h('th', { scope: 'col' }, 'By state'), h('th', { scope: 'col', class: 'num' }, 'Best'), h('th', { scope: 'col' }, 'Sampler'),
              h('th', { scope: 'col' }, 'Scheduler'), h('th', { scope: 'col' }, 'Created'))),
            h('tbody', {}, studies.map((s) =>
              h('tr', {},
                h('td', {}, h('a', { href: studyHref(s.name) }, s.name)),
                h('td', {}, stateBadge(s.state)),
                h('td', { class: 'num' }, s.trials),
                h('td', {}, STATES.filter((k) => s.counts[k] > 0).map((k) => `${s.counts[k]} ${k}`).join(', ') || '—'),
                h('td', { class: 'num' }, s.best ? `${fmt(s.best.value)} (#${s.best.number})` : '—'),
                h('td', {}, s.sampler ?? '—'),
                h('td', {}, s.scheduler ?? '—'),
                h('td', {}, when(s.createdAt)),
              ),
            )),
          ),
        ),
  );
}
