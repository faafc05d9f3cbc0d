import { describe, expect, it } from 'vitest';
import { StudyView } from '../../src/controller/view.js';
import { Rng } from '../../src/core/rng.js';
import type { TrialRecord } from '../../src/core/types.js';
import { MemoryStorage } from '../../src/storage/index.js';

describe('a study view', () => {
  it('lists every trial it was told of in number order, each at its latest state, in batches small and large', async () => {
    const storage = new MemoryStorage();
    const study = await storage.createStudy({ name: 'view', directions: ['minimize'], config: {} });
    const running: TrialRecord[] = [];
    for (let i = 0; i < 300; i++)
      running.push(await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: i }));
    const finished = await Promise.all(running.map((t) => storage.finishTrial(t.id, { state: 'complete', values: [t.number] })));
    // Creations and finishes in a seeded random order, as a feed from several processes delivers them; a finish
    // may come before its creation (the view keeps the later stage).
    const rng = new Rng(11);
    const events = [...running, ...finished]
      .map((t) => ({ t, key: rng.float() }))
      .sort((a, b) => a.key - b.key)
      .map((e) => e.t);
    const view = new StudyView(storage, study.id, () => Number.NaN, 'minimize');
    const latest = new Map<number, TrialRecord>();
    let earlier: readonly TrialRecord[] = view.trials;
    let copyOfEarlier = [...earlier];
    for (let at = 0; at < events.length; ) {
      // Batches of 1 to 100: some patch the list, some exceed the patch limit and rebuild it.
      const size = 1 + Math.floor(rng.float() * 100);
      for (const t of events.slice(at, at + size)) {
        view.remember(t);
        if (latest.get(t.number)?.state !== 'complete') latest.set(t.number, t);
      }
      at += size;
      expect(view.trials).toEqual([...latest.values()].sort((a, b) => a.number - b.number));
      // A list handed out before is not changed under its holder.
      expect(earlier).toEqual(copyOfEarlier);
      earlier = view.trials;
      copyOfEarlier = [...earlier];
    }
    expect(view.trials.map((t) => t.state)).toEqual(Array(300).fill('complete'));
  });
});
