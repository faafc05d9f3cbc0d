import { ApiError } from './api.js';
import { chartsDrawn, disposeCharts } from './charts.js';
import { h } from './dom.js';
import { studiesView } from './views/studies.js';
import { compareView } from './views/compare.js';
import { studyView } from './views/study.js';
import { trialView } from './views/trial.js';

const main = document.getElementById('main');
const liveEl = document.getElementById('live');
let cleanup = null;
let rendering = 0;

function setLive(text) {
  liveEl.textContent = text;
}

// Routes: #/ (studies), #/study/NAME, #/study/NAME/trial/N, #/study/NAME/compare/N,M,….
async function render(options = {}) {
  const ticket = ++rendering;
  delete main.dataset.ready;
  cleanup?.();
  cleanup = null;
  const scroll = window.scrollY;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  try {
    let done = null;
    let view = 'studies';
    if (parts[0] === 'study' && parts[1] && parts[2] === 'trial' && /^\d+$/.test(parts[3] ?? '')) {
      view = 'trial';
      await trialView(main, parts[1], Number(parts[3]));
    } else if (parts[0] === 'study' && parts[1] && parts[2] === 'compare' && /^\d+(,\d+)+$/.test(parts[3] ?? '')) {
      view = 'compare';
      await compareView(main, parts[1], parts[3].split(',').map(Number));
    } else if (parts[0] === 'study' && parts[1]) {
      view = 'study';
      done = await studyView(main, parts[1], { setLive, rerender: (o) => render(o) });
    } else {
      await studiesView(main);
    }
    if (ticket !== rendering) return done?.();
    cleanup = () => {
      done?.();
      disposeCharts();
    };
    if (options.keepScroll) window.scrollTo(0, scroll);
    else main.focus({ preventScroll: true });
    if (!done) setLive('');
    // A marker for tests and benchmarks: the view's data is shown and its charts drawn.
    await chartsDrawn();
    if (ticket === rendering) Object.assign(main.dataset, { ready: view, readyAt: String(Math.round(performance.now())) });
  } catch (error) {
    disposeCharts();
    const unauthorized = error instanceof ApiError && error.status === 401;
    main.replaceChildren(
      h('h1', {}, unauthorized ? 'Sign in' : 'Something went wrong'),
      h(
        'p',
        { class: unauthorized ? '' : 'error' },
        unauthorized ? 'Open the URL that `autotune dashboard` printed (it ends in ?token=…).' : error.message,
      ),
      h('p', {}, h('a', { href: '#/' }, 'Back to the studies')),
    );
  }
}

window.addEventListener('hashchange', () => render());
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => render({ keepScroll: true }));
void render();
