import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { dashboardApp } from '../server/dashboard-app.js';
import { servedHosts, urlHost as addressInUrl } from '../server/guards.js';
import { isPostgresUrl, openStorage, sqlitePath } from '../storage/open.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface DashboardFlags {
  storage: string;
  port: number;
  host: string;
  dataRoot?: string;
  allowCode?: boolean;
}

/** A running dashboard: the URL that logs a browser in, and how to stop it. */
export interface RunningDashboard {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the dashboard for one database with a fresh random token, on this machine only unless `host` says
 * otherwise. Resolves once the port is bound.
 */
export async function startDashboard(flags: DashboardFlags): Promise<RunningDashboard> {
  if (flags.port === 0 || flags.port > 65535) throw new InputError('--port: expected 1-65535');
  const storage = await openStorage(flags.storage, { create: isNewFile(flags.storage) });
  const token = randomBytes(24).toString('base64url');
  const urlHost = addressInUrl(flags.host);
  // Requests must name a host we serve under (DNS-rebinding defence): loopback names, and the --host given.
  const allowedHosts = servedHosts(flags.host, flags.port);
  if (!LOOPBACK.has(flags.host)) {
    console.error(
      `warning: serving on ${flags.host}: anyone who can reach it and learns the token can read and delete studies (plain HTTP)`,
    );
  }
  const app = dashboardApp({
    storage,
    token,
    allowedHosts,
    launch: { dataRoot: resolve(flags.dataRoot ?? '.'), allowCode: flags.allowCode ?? false },
  });
  return new Promise((resolveStarted, reject) => {
    const server = serve({ fetch: app.fetch, port: flags.port, hostname: flags.host }, (info) => {
      resolveStarted({
        url: `http://${urlHost}:${info.port}/?token=${token}`,
        // Open event streams would hold close() forever: end every connection with it.
        close: () =>
          new Promise<void>((done) => {
            server.close(() => void storage.close().finally(done));
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', (error) => {
      void storage.close();
      reject(
        new InputError(
          `dashboard: cannot listen on ${flags.host}:${flags.port} (${(error as NodeJS.ErrnoException).code ?? error.message})`,
        ),
      );
    });
  });
}

/**
 * Whether the dashboard may create the database: a SQLite file that does not exist yet is a new local database
 * whose first study the page may launch; a database that exists (a file, any PostgreSQL database) must already be
 * autotune's, or a look at the wrong one would add autotune's tables to it.
 */
function isNewFile(url: string): boolean {
  return !isPostgresUrl(url) && !existsSync(sqlitePath(url));
}

/** `autotune dashboard`: serves until Ctrl-C, printing the URL that logs the browser in. */
export async function dashboardCommand(flags: DashboardFlags): Promise<void> {
  const dashboard = await startDashboard(flags);
  console.log(`dashboard for ${flags.storage}: ${dashboard.url}`);
  const stop = () => void dashboard.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
