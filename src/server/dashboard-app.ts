import { Hono } from 'hono';
import { StorageError } from '../core/errors.js';
import type { Storage } from '../storage/storage.js';
import { loginWithToken, requireToken } from './auth.js';
import { allowHosts, guardMutations, securityHeaders } from './guards.js';
import { OPENAPI } from './openapi.js';
import { analysisRoutes } from './routes/analysis.js';
import { eventsRoutes, type EventOptions } from './routes/events.js';
import { exploreRoutes } from './routes/explore.js';
import { insightRoutes } from './routes/insight.js';
import { launchRoutes, type LaunchOptions } from './routes/launch.js';
import { notesRoutes } from './routes/notes.js';
import { studiesRoutes } from './routes/studies.js';
import { trialsRoutes } from './routes/trials.js';
import { defaultStaticDir, echartsFile, serveFile, serveVendor } from './static.js';

export interface DashboardOptions {
  readonly storage: Storage;
  /** The secret every API request must carry; make it long and random (see `autotune dashboard`). */
  readonly token: string;
  /** `host:port` names requests may be addressed to, e.g. `defaultAllowedHosts(port)`. */
  readonly allowedHosts: readonly string[];
  /** The dashboard's static files; default: `dashboard/` of this package. */
  readonly staticDir?: string;
  readonly events?: EventOptions;
  /** Lets `POST /api/studies` launch studies; without it that route answers 403. */
  readonly launch?: LaunchOptions;
}

/**
 * The dashboard: static pages at `/`, a token-protected JSON API under `/api` (see `OPENAPI`), live updates over
 * server-sent events. Meant for a loopback address; the Host check and token keep other sites and users out.
 */
export function dashboardApp(options: DashboardOptions): Hono {
  if (options.token.length < 16) throw new Error('the dashboard token must be at least 16 characters');
  const { storage } = options;
  const staticDir = options.staticDir ?? defaultStaticDir();
  const app = new Hono();

  app.use('*', allowHosts(options.allowedHosts), securityHeaders());
  app.use('/api/*', requireToken(options.token), ...guardMutations(options.allowedHosts));

  app.get('/api/openapi.json', (c) => c.json(OPENAPI));
  if (options.launch) app.route('/api/studies', launchRoutes(storage, options.launch));
  else app.post('/api/studies', (c) => c.json({ error: 'launching studies is disabled on this server' }, 403));
  app.route('/api/studies', studiesRoutes(storage));
  app.route('/api/studies', trialsRoutes(storage));
  app.route('/api/studies', analysisRoutes(storage));
  app.route('/api/studies', exploreRoutes(storage));
  app.route('/api/studies', insightRoutes(storage));
  app.route('/api/studies', notesRoutes(storage));
  app.route('/api/studies', eventsRoutes(storage, options.events));
  app.all('/api/*', (c) => c.json({ error: 'no such route' }, 404));

  app.get('/', (c) => {
    const token = c.req.query('token');
    return token !== undefined ? loginWithToken(c, options.token, token) : serveFile(c, staticDir, '/index.html');
  });
  app.get('/vendor/echarts.esm.min.js', (c) => serveVendor(c, echartsFile()));
  app.get('/*', (c) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.json({ error: 'not found' }, 404);
    }
    return serveFile(c, staticDir, path);
  });

  app.onError((error, c) => {
    if (error instanceof StorageError && /^no (study|trial)/.test(error.message)) return c.json({ error: error.message }, 404);
    console.error(error);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
