import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One embedded PostgreSQL server for the run; the storage contract and CLI tests each take databases on it.
    globalSetup: ['test/helpers/postgres-global.ts'],
    // Trials train real models on 2 cores: give end-to-end tests room, keep files in separate processes.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
