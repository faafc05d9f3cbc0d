import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordCounts } from '../helpers/reliability-log.js';
import { repoPath, useTempDir } from '../helpers/tmp.js';
import { readDb, runCli } from './cli.js';

describe('two `autotune run` processes on one SQLite study', () => {
  const dir = useTempDir();

  it('run exactly the trial budget between them, with unique numbers and distinct configurations', async () => {
    const db = join(dir(), 'shared.db');
    const args = [repoPath('search-spaces/branin.json'), '--trials', '60', '--storage', db];
    const [a, b] = [runCli(args), runCli(args)];
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect(ea.code, ea.output).toBe(0);
    expect(eb.code, eb.output).toBe(0);
    const { integrity, trials, studyState } = readDb(db);
    expect(integrity).toBe('ok');
    expect(studyState).toBe('complete');
    expect(trials.map((t) => t.number)).toEqual([...Array(60).keys()]);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    // Each trial samples from its own number's stream, so neither process repeats the other's configurations.
    const params = new Set(trials.map((t) => t.params));
    expect(params.size).toBe(60);
    recordCounts({
      processes: 2,
      trials: trials.length,
      'duplicate trial numbers': trials.length - new Set(trials.map((t) => t.number)).size,
      'repeated configurations': trials.length - params.size,
    });
  }, 60_000);
});
