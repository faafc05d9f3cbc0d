import { api } from '../api.js';
import { fmt, h, stateBadge, studyHref, when, fill } from '../dom.js';

const STATES = ['complete', 'pruned', 'failed', 'running', 'waiting'];

function studiesTable(studies) {
  if (studies.length === 0)
    return h('p', { class: 'muted' }, 'No studies in this database yet. Run one with `autotune run`, or launch one below.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id: 'studies' },
      h('caption', { class: 'muted' }, `${studies.length} stud${studies.length === 1 ? 'y' : 'ies'}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Study'),
          h('th', { scope: 'col' }, 'State'),
          h('th', { scope: 'col', class: 'num' }, 'Trials'),
          h('th', { scope: 'col' }, 'By state'),
          h('th', { scope: 'col', class: 'num' }, 'Best'),
          h('th', { scope: 'col' }, 'Sampler'),
          h('th', { scope: 'col' }, 'Scheduler'),
          h('th', { scope: 'col' }, 'Created'),
        ),
      ),
      h(
        'tbody',
        {},
        studies.map((s) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: studyHref(s.name) }, s.name)),
            h('td', {}, stateBadge(s.state)),
            h('td', { class: 'num' }, s.trials),
            h(
              'td',
              {},
              STATES.filter((k) => s.counts[k] > 0)
                .map((k) => `${s.counts[k]} ${k}`)
                .join(', ') || '—',
            ),
            h('td', { class: 'num' }, s.best ? `${fmt(s.best.value)} (#${s.best.number})` : '—'),
            h('td', {}, s.sampler ?? '—'),
            h('td', {}, s.scheduler ?? '—'),
            h('td', {}, when(s.createdAt)),
          ),
        ),
      ),
    ),
  );
}

// The server answers before the study is written (it reads the dataset first): poll briefly until it is listed.
async function showLaunched(listSlot, name) {
  for (let i = 0; i < 20; i++) {
    const { studies } = await api.studies();
    listSlot.replaceChildren(studiesTable(studies));
    if (studies.some((s) => s.name === name)) return;
    await new Promise((done) => setTimeout(done, 500));
  }
}

function launchForm(listSlot) {
  const text = h('textarea', {
    id: 'launch-study',
    rows: 8,
    spellcheck: 'false',
    placeholder: '{ "name": "…", "data": { "source": "wine.csv", … }, "space": { … } }',
  });
  const button = h('button', { type: 'submit' }, 'Launch');
  const status = h('div', { role: 'status' });
  const onsubmit = async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.replaceChildren(h('p', { class: 'muted' }, 'Launching…'));
    try {
      const { name } = await api.launch(text.value);
      status.replaceChildren(h('p', {}, 'Launched ', h('a', { href: studyHref(name) }, name), '.'));
      await showLaunched(listSlot, name);
    } catch (error) {
      const issues = error.issues ?? [];
      fill(
        status,
        h('p', { class: 'error' }, issues.length ? 'Not launched:' : error.message),
        issues.length
          ? h(
              'ul',
              { class: 'plain error' },
              issues.map((i) => h('li', {}, i)),
            )
          : null,
      );
    } finally {
      button.disabled = false;
    }
  };
  return h(
    'form',
    { class: 'card launch', 'aria-labelledby': 'launch-title', onsubmit },
    h('h2', { id: 'launch-title' }, 'Launch a study'),
    h('label', { for: 'launch-study' }, 'Study file (JSON); datasets are read relative to the server’s data root'),
    text,
    h('div', { class: 'toolbar' }, button),
    status,
  );
}

export async function studiesView(main) {
  const { studies } = await api.studies();
  const listSlot = h('div', {}, studiesTable(studies));
  fill(main, h('h1', {}, 'Studies'), listSlot, launchForm(listSlot));
}
