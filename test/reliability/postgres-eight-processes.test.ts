import { describe, expect, it } from 'vitest';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { useTempDir } from '../helpers/tmp.js';
import { runCli } from './cli.js';
import { expectNothingLost, storedStudy, writeStudy } from './postgres-study.js';

// Optuna's shape (tests/storages_tests/rdb_tests/test_with_server.py): many processes, one study, one budget.
const PROCESSES = 8;
const BUDGET = 160;

describe(`${PROCESSES} \`autotune run\` processes on one PostgreSQL study`, () => {
  const dir = useTempDir();
  const database = usePostgresDatabases();

  it(`run exactly ${BUDGET} trials between them: dense unique numbers, no configuration twice`, async () => {
    const url = await database();
    const file = writeStudy(dir(), 'eight', { trials: BUDGET, parallelism: 2, seed: 8 });
    const runs = Array.from({ length: PROCESSES }, () => runCli([file, '--storage', url]));
    for (const { code, output } of await Promise.all(runs.map((r) => r.exit))) expect(code, output).toBe(0);

    const { state, trials } = await storedStudy(url, 'eight');
    expect(state).toBe('complete');
    expect(trials).toHaveLength(BUDGET);
    expectNothingLost(trials, BUDGET);
    // Each trial samples from its own number's stream, whichever process took the number.
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(BUDGET);
  }, 60_000);
});
