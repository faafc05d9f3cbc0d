import { describe, expect, it } from 'vitest';
import { runSearch } from '../../src/controller/search.js';
import { Study } from '../../src/controller/study.js';
import { taskBuilder } from '../../src/controller/tasks.js';
import { MemoryStorage, type Storage } from '../../src/storage/index.js';
import { InlineRunner } from '../../src/training/inline-runner.js';
import { inlineConfig } from '../helpers/studies.js';

/** `storage` with its method calls counted by name. */
function counted(storage: Storage, calls: Map<string, number>): Storage {
  return new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const space = { x: { float: [-5, 5] as [number, number] } };
const objective = ({ x }: { x: number }) => x * x;

// On a database server every storage call is a round trip; the search loop's own calls must not grow with trials
// beyond what ask and tell need (bench/RESULTS.md, controller overhead on PostgreSQL).
describe('the search loop against storage', () => {
  it('does not count the study in storage before every trial', async () => {
    const calls = new Map<string, number>();
    const storage = counted(new MemoryStorage(), calls);
    const config = inlineConfig({ space, seed: 1, trials: 60, name: 'reads' });
    const study = await Study.open(storage, config);
    const summary = await runSearch(study, new InlineRunner(objective), { taskFor: taskBuilder(config) });
    expect(summary.reason).toBe('trials');
    expect(await storage.countTrials(study.id, { states: ['complete'] })).toBe(60);
    // Opening and the end of the search count a few times; 60 trials did not add one each.
    expect(calls.get('countTrials') ?? 0).toBeLessThanOrEqual(4);
  });

  it('ends on the trial budget when another process spent it after this one last read storage', async () => {
    const storage = new MemoryStorage();
    const config = inlineConfig({ space, seed: 2, trials: 10, name: 'spent' });
    const late = await Study.open(storage, config);
    const other = await Study.open(storage, config);
    for (let i = 0; i < 10; i++) {
      const asked = await other.ask({ maxTrials: 10 });
      if (!asked) throw new Error('the budget ran out early');
      await other.tell(asked.trial, objective(asked.params as { x: number }));
    }
    // `late` still holds the study as it was at open: no trials.
    expect(late.trialCount).toBe(0);
    const summary = await runSearch(late, new InlineRunner(objective), { taskFor: taskBuilder(config) });
    expect(summary.reason).toBe('trials');
    expect(await storage.countTrials(late.id)).toBe(10);
    expect(summary.best?.number).toBe(other.best?.number);
  });
});
