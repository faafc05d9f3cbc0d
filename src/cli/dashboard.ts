import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { dashboardApp } from '../server/dashboard-app.js';
import { defaultAllowedHosts } from '../server/guards.js';
import { openStorage } from '../storage/open.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * `autotune dashboard`: serves the dashboard for one database with a fresh random token, on this machine only
 * unless --host says otherwise, and prints the URL that logs the browser in.
 */
export async function dashboardCommand(flags: { storage: string; port: number; host: string; dataRoot?: string; allowCode?: boolean }): Promise<void> {
  if (flags.port === 0 || flags.port > 65535) throw new InputError('--port: expected 1-65535');
  const storage = await openStorage(flags.storage);
  const token = randomBytes(24).toString('base64url');
  const urlHost = flags.host.includes(':') ? `[${flags.host}]` : flags.host;
  // Requests must name a host we serve under (DNS-rebinding defence): loopback names, and the --host given.
  const allowedHosts = [...defaultAllowedHosts(flags.port), `${urlHost}:${flags.port}`];
  if (!LOOPBACK.has(flags.host)) {
    console.error(`warning: serving on ${flags.host}: anyone who can reach it and learns the token can read and delete studies (plain HTTP)`);
  }
  const app = dashboardApp({ storage, token, allowedHosts, launch: { dataRoot: resolve(flags.dataRoot ?? '.'), allowCode: flags.allowCode ?? false } });
  const server = serve({ fetch: app.fetch, port: flags.port, hostname: flags.host }, (info) => {
    console.log(`dashboard for ${storage.url}: http://${urlHost}:${info.port}/?token=${token}`);
  });
  const stop = () =>
    server.close(() => {
      void storage.close().finally(() => process.exit(0));
    });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
