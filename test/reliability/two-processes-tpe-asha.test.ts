import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordCounts } from '../helpers/reliability-log.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { readDb, runCli } from './cli.js';

const BUDGET = 40;

describe('two `autotune run` processes on one SQLite study with TPE and ASHA', () => {
  const dir = useTempDir();

  it('share the budget with dense numbers and distinct configurations, and ASHA stops trials with its reason', async () => {
    const study = join(dir(), 'tpe-asha.json');
    // prunable.mjs reports (x − 1)² over 5 steps; y only widens the space TPE models.
    writeFileSync(
      study,
      JSON.stringify({
        name: 'tpe-asha',
        objective: { module: repoPath('test/fixtures/objectives/prunable.mjs'), direction: 'minimize' },
        search: {
          sampler: { type: 'tpe', startupTrials: 6, constantLiar: true },
          scheduler: { type: 'asha', minEpochs: 1, maxEpochs: 5, eta: 3 },
          trials: BUDGET,
          seed: 8,
        },
        space: { x: { float: [-3, 3] }, y: { float: [-1, 1] } },
      }),
    );
    const db = join(dir(), 'shared.db');
    const [a, b] = [runCli([study, '--storage', db]), runCli([study, '--storage', db])];
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect(ea.code, ea.output).toBe(0);
    expect(eb.code, eb.output).toBe(0);
    const { integrity, trials, studyState } = readDb(db);
    expect(integrity).toBe('ok');
    expect(studyState).toBe('complete');
    expect(trials.map((t) => t.number)).toEqual([...Array(BUDGET).keys()]);
    expect(new Set(trials.map((t) => t.params)).size).toBe(BUDGET);
    const pruned = trials.filter((t) => t.state === 'pruned');
    expect(
      trials.every((t) => t.state === 'complete' || t.state === 'pruned'),
      JSON.stringify(trials.map((t) => [t.state, t.fail_reason])),
    ).toBe(true);
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) expect(t.fail_reason).toMatch(/^asha: not in the top 1\/3 of \d+ at rung \d+ \(step \d+\)$/);
    recordCounts({
      processes: 2,
      trials: trials.length,
      'trials stopped by ASHA': pruned.length,
      'repeated configurations': BUDGET - new Set(trials.map((t) => t.params)).size,
    });
  }, 60_000);
});
