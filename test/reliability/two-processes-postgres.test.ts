import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../src/storage/index.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { repoPath } from '../helpers/tmp.js';
import { runCli } from './cli.js';

describe('two `autotune run` processes on one PostgreSQL study', () => {
  const database = usePostgresDatabases();

  it('run exactly the trial budget between them, with unique numbers and distinct configurations', async () => {
    const url = await database();
    const args = [repoPath('search-spaces/branin.json'), '--trials', '40', '--storage', url];
    const [a, b] = [runCli(args), runCli(args)];
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect(ea.code, ea.output).toBe(0);
    expect(eb.code, eb.output).toBe(0);
    const storage = await PostgresStorage.open(url);
    const study = await storage.findStudy('branin-random');
    expect(study?.state).toBe('complete');
    const trials = await storage.listTrials(study?.id ?? -1);
    await storage.close();
    expect(trials.map((t) => t.number)).toEqual([...Array(40).keys()]);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    // Each trial samples from its own number's stream, so neither process repeats the other's configurations.
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(40);
  }, 90_000);
});
