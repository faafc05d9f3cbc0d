import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/core/types.js';
import type { Decision } from '../../src/schedulers/index.js';
import { PostgresStorage, SqliteStorage, type Storage } from '../../src/storage/index.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { inlineConfig, openStudy, SCHEDULER_CONFIGS } from '../helpers/studies.js';
import { useTempDir } from '../helpers/tmp.js';

const postgresDatabase = usePostgresDatabases();

/** Where a study is kept between a controller and its restart: each returns an opener of the same place. */
const backends: [string, (dir: string) => Promise<() => Promise<Storage>>][] = [
  ['sqlite', async (dir) => async () => new SqliteStorage(join(dir, 'scheduler.db'))],
  [
    'postgres',
    async () => {
      const url = await postgresDatabase();
      return () => PostgresStorage.open(url);
    },
  ],
];

const space = { quality: { float: [0, 1] as [number, number] }, speed: { float: [0.2, 1] as [number, number] } };

/** A scripted learning curve: loss falls towards 1 − quality at a rate set by speed. */
const lossAt = (p: { quality: number; speed: number }, step: number) => 1 - p.quality + (1 + p.quality) * Math.exp(-p.speed * step);

/**
 * What each scheduler configuration promises, which the contract checks: whether it ever stops a trial, whether it
 * records the rung every trial reached, and whether it places trials in brackets (then the trials of the first
 * bracket record rungs, and the last bracket, whose minimum budget is the maximum, has none).
 */
interface Capabilities {
  readonly stops: boolean;
  readonly rungs: boolean;
  readonly brackets: boolean;
}
const CAPABILITIES: Record<string, Capabilities> = {
  fifo: { stops: false, rungs: false, brackets: false },
  median: { stops: true, rungs: false, brackets: false },
  asha: { stops: true, rungs: true, brackets: false },
  hyperband: { stops: true, rungs: true, brackets: true },
};

it('every scheduler configuration the contract runs declares its capabilities', () => {
  expect(Object.keys(CAPABILITIES).sort()).toEqual(Object.keys(SCHEDULER_CONFIGS).sort());
});

describe.each(Object.entries(SCHEDULER_CONFIGS))('Scheduler contract: %s', (name, scheduler) => {
  const dir = useTempDir();
  const can = CAPABILITIES[name] as Capabilities;

  it.each(backends)(
    'decides about the trial that reported, records its bookkeeping, and a rebuilt scheduler decides the same (%s)',
    async (_backend, place) => {
      const open = await place(dir());
      const config = inlineConfig({ space, scheduler, seed: 4, trials: 24, name: `scheduler-${name}` });
      const storage = await open();
      const study = await openStudy(config, storage);
      const decisions: Decision[] = [];
      for (let t = 0; t < 24; t++) {
        const { trial, params } = (await study.ask())!;
        const p = params as { quality: number; speed: number };
        let stopped = false;
        for (let step = 1; step <= 9 && !stopped; step++) {
          const decision = await study.report(trial, step, { value: lossAt(p, step) });
          decisions.push(decision);
          stopped = decision.type === 'stop';
        }
        await study.tell(trial, stopped ? { type: 'pruned', step: 0, value: null, metrics: {}, backend: 'inline' } : lossAt(p, 9));
      }
      const stops = decisions.filter((d) => d.type === 'stop').length;
      const trials = study.trials;
      if (!can.stops) expect(stops).toBe(0);
      else {
        expect(stops).toBeGreaterThan(0);
        expect(trials.filter((t) => t.state === 'pruned')).toHaveLength(stops);
      }
      expect(study.scheduler.placement !== undefined, 'placement').toBe(can.brackets);
      expect(study.scheduler.cohort !== undefined, 'cohort').toBe(can.brackets);
      if (!can.rungs) expect(trials.some((t) => t.systemAttrs.rung !== undefined)).toBe(false);
      if (can.rungs && !can.brackets) expect(trials.every((t) => typeof t.systemAttrs.rung === 'number')).toBe(true);
      if (can.brackets) {
        expect(new Set(trials.map((t) => t.systemAttrs.bracket)).size).toBeGreaterThan(1);
        // Bracket 0 starts at the first rung; the last bracket (minimum resource = maximum) has no rung at all.
        const first = trials.filter((t) => t.systemAttrs.bracket === 0);
        expect(first.length).toBeGreaterThan(0);
        expect(first.every((t) => typeof t.systemAttrs.rung === 'number')).toBe(true);
      } else {
        expect(trials.some((t) => t.systemAttrs.bracket !== undefined)).toBe(false);
      }

      // A controller that restarts rebuilds its scheduler from storage: for any next report it must decide alike.
      const reopened = await openStudy(config, await open());
      const placement = study.scheduler.placement?.(24) ?? {};
      expect(reopened.scheduler.placement?.(24) ?? {}).toEqual(placement);
      const probe = { ...trials[0], number: 24, id: -1, state: 'running', systemAttrs: placement } as TrialRecord;
      for (const step of [1, 3, 5, 9]) {
        for (const value of [0.05, 0.5, 1.2]) {
          expect(reopened.scheduler.onReport(probe, step, value, reopened.schedulerContext())).toEqual(
            study.scheduler.onReport(probe, step, value, study.schedulerContext()),
          );
        }
      }
      await storage.close();
      await reopened.storage.close();
    },
  );
});
