import type { TestProject } from 'vitest/node';
import { startTestServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An administrator's URL of the PostgreSQL server the tests use; see test/helpers/postgres.ts. */
    postgresUrl: string;
  }
}

/**
 * One PostgreSQL server for the whole vitest run (vitest.config.ts `globalSetup`), not one per test file: a start
 * costs seconds on a loaded machine, files run in parallel forks that would each pay it, and as root every start
 * would race to create the `postgres` user. Tests isolate themselves with a database each (test/helpers/postgres.ts).
 * `AUTOTUNE_TEST_POSTGRES_URL` (an administrator's URL) points the tests at an existing server instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.AUTOTUNE_TEST_POSTGRES_URL;
  if (existing) {
    project.provide('postgresUrl', existing);
    return async () => {};
  }
  const server = await startTestServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
