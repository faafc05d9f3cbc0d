import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/index.js';
import { bracketOf, rungOf } from '../../src/core/annotations.js';
import { runHyperbandStudy } from '../helpers/hyperband-study.js';
import { call, seededApp } from './seed.js';

interface HeatmapAxisBody {
  param: string;
  kind: string;
  log: boolean;
  edges: number[] | null;
  values: (number | string)[] | null;
}
interface HeatmapBody {
  bins: number;
  x: HeatmapAxisBody | null;
  y: HeatmapAxisBody | null;
  cells: [number, number, number, number][];
  trials: number;
}

/** A real Hyperband search over lr (log-scaled) and dropout (linear), named `hb`, beside the seeded studies. */
const seedHyperband = (storage: Storage) => runHyperbandStudy(storage, { name: 'hb', trials: 30, seed: 4 });

describe('search-space views', () => {
  it('lists the searched parameters with their distributions', async () => {
    const { app } = await seededApp();
    const body = (await (await call(app, '/api/studies/small/space')).json()) as {
      params: { name: string; distribution: { kind: string; log?: boolean } }[];
    };
    expect(body.params.map((p) => p.name)).toEqual(['activation', 'lr', 'units']);
    expect(body.params[1]?.distribution).toMatchObject({ kind: 'float', log: true });
    expect((await (await call(app, '/api/studies/empty/space')).json()) as unknown).toEqual({ params: [] });
  });

  it('slices: objective vs each parameter, most important first, complete trials only', async () => {
    const { app } = await seededApp();
    const body = (await (await call(app, '/api/studies/small/slices')).json()) as {
      slices: { name: string; points: [number | string, number, number][]; total: number }[];
      downsampled: boolean;
    };
    expect(body.slices[0]?.name).toBe('lr');
    expect(body.slices.map((s) => s.name).sort()).toEqual(['activation', 'lr', 'units']);
    expect(body.slices.every((s) => s.points.length === 14 && s.total === 14)).toBe(true);
    expect(body.downsampled).toBe(false);
    const one = (await (await call(app, '/api/studies/small/slices?params=units')).json()) as { slices: { name: string }[] };
    expect(one.slices.map((s) => s.name)).toEqual(['units']);
    expect((await call(app, '/api/studies/small/slices?params=a,b,c,d,e,f,g,h,i')).status).toBe(400);
  });

  it('heatmap: mean objective on a bounded grid of the two most important numeric parameters', async () => {
    const { app, storage } = await seededApp();
    const { trials } = await seedHyperband(storage);
    const complete = trials.filter((t) => t.state === 'complete').length;
    // By default the two most important numeric parameters, whichever order the few trials give them.
    const auto = (await (await call(app, '/api/studies/hb/heatmap')).json()) as HeatmapBody;
    expect([auto.x?.param, auto.y?.param].sort()).toEqual(['dropout', 'lr']);
    expect(auto.bins).toBe(20);
    const body = (await (await call(app, '/api/studies/hb/heatmap?x=lr&y=dropout&bins=5')).json()) as HeatmapBody;
    expect(body.x).toMatchObject({ param: 'lr', log: true });
    expect(body.y).toMatchObject({ param: 'dropout', log: false });
    expect(body.x?.edges).toHaveLength(6);
    expect(body.x?.edges?.[0]).toBeCloseTo(1e-4);
    expect(body.x?.edges?.[5]).toBeCloseTo(0.1);
    expect(complete).toBeGreaterThan(1);
    expect(body.trials).toBe(complete);
    expect(body.cells.reduce((n, c) => n + c[3], 0)).toBe(complete);
    expect(body.cells.every(([i, j]) => i >= 0 && i < 5 && j >= 0 && j < 5)).toBe(true);
    const big = (await (await call(app, '/api/studies/hb/heatmap?x=dropout&y=lr&bins=40')).json()) as HeatmapBody;
    expect(big.x?.param).toBe('dropout');
    expect(big.cells.length).toBeLessThanOrEqual(40 * 40);

    const bad = async (q: string) => (await (await call(app, `/api/studies/hb/heatmap${q}`)).json()) as { issues: { path: string }[] };
    expect((await bad('?bins=500')).issues[0]?.path).toBe('query.bins');
    expect((await bad('?x=nope')).issues[0]?.path).toBe('query.x');
    expect((await bad('?x=lr&y=lr')).issues[0]?.path).toBe('query.y');
    expect((await (await call(app, '/api/studies/empty/heatmap')).json()) as unknown).toMatchObject({ x: null, y: null, cells: [] });
  });

  it('heatmap: one bin per integer or category, integer ranges with integer edges', async () => {
    const { app, storage } = await seededApp();
    const study = await storage.createStudy({ name: 'ints', directions: ['minimize'], config: {} });
    for (let i = 0; i < 24; i++) {
      const layers = 1 + (i % 3);
      const units = 16 + ((i * 37) % 241);
      const trial = await storage.createTrial(study.id, {
        state: 'running',
        params: { layers, units, activation: ['relu', 'tanh'][i % 2] as string },
        distributions: {
          layers: { kind: 'int', low: 1, high: 3, log: false, step: 1 },
          units: { kind: 'int', low: 16, high: 256, log: true, step: 1 },
          activation: { kind: 'categorical', choices: ['relu', 'tanh', 'gelu'] },
        },
        seed: i,
      });
      await storage.finishTrial(trial.id, { state: 'complete', values: [layers + units / 1000 + (i % 2)] });
    }
    const get = async (q: string) => (await (await call(app, `/api/studies/ints/heatmap${q}`)).json()) as HeatmapBody;
    const byLayers = await get('?x=layers&y=activation&bins=5');
    // Not 1–1.5, 1.5–2, …: the integers 1, 2 and 3, and every choice (gelu was never drawn but is a choice).
    expect(byLayers.x).toMatchObject({ kind: 'int', edges: null, values: [1, 2, 3] });
    expect(byLayers.y).toMatchObject({ kind: 'categorical', edges: null, values: ['relu', 'tanh', 'gelu'] });
    expect(byLayers.cells.map(([i, j, , n]) => [i, j, n])).toEqual([
      [0, 0, 4],
      [0, 1, 4],
      [1, 0, 4],
      [1, 1, 4],
      [2, 0, 4],
      [2, 1, 4],
    ]);
    // layers 1, relu (i = 0, 6, 12, 18): mean of layers + units / 1000.
    const expected = [0, 6, 12, 18].reduce((s, i) => s + 1 + (16 + ((i * 37) % 241)) / 1000, 0) / 4;
    expect(byLayers.cells[0]?.[2]).toBeCloseTo(expected, 12);
    // 241 integers in 5 bins: integer edges, log-spaced, the last one past 256 so that 256 is inside.
    const byUnits = await get('?x=units&y=layers&bins=5');
    expect(byUnits.x?.values).toBeNull();
    expect(byUnits.x?.edges?.every((e) => Number.isInteger(e))).toBe(true);
    expect([byUnits.x?.edges?.[0], byUnits.x?.edges?.at(-1)]).toEqual([16, 257]);
    expect(byUnits.cells.reduce((n, c) => n + c[3], 0)).toBe(24);
    // By default numbers come first; a study with one numeric parameter pairs it with its most important choice.
    expect([(await get('')).x?.param, (await get('')).y?.param].sort()).toEqual(['layers', 'units']);
    const small = (await (await call(app, '/api/studies/small/heatmap')).json()) as HeatmapBody;
    expect(small.x?.param).toBe('lr');
    expect(small.y?.kind).toBe('categorical');
    expect((await (await call(app, '/api/studies/small/heatmap?x=units&y=activation')).json()) as HeatmapBody).toMatchObject({
      x: { values: [16, 32, 64, 128] },
      y: { values: ['relu', 'tanh'] },
    });
  });

  it('heatmap: means of objective values near ±1e308 stay finite', async () => {
    const { app, storage } = await seededApp();
    const study = await storage.createStudy({ name: 'huge', directions: ['minimize'], config: {} });
    for (let i = 0; i < 8; i++) {
      const trial = await storage.createTrial(study.id, {
        state: 'running',
        params: { a: i % 2, b: 0 },
        distributions: {
          a: { kind: 'int', low: 0, high: 1, log: false, step: 1 },
          b: { kind: 'int', low: 0, high: 1, log: false, step: 1 },
        },
        seed: i,
      });
      await storage.finishTrial(trial.id, { state: 'complete', values: [i < 4 ? 1.5e308 : -1.5e308] });
    }
    const body = (await (await call(app, '/api/studies/huge/heatmap?x=a&y=b')).json()) as HeatmapBody;
    // a = 0 and a = 1 each hold two trials at +1.5e308 and two at −1.5e308 (a plain sum overflowed to Infinity).
    expect(body.cells).toEqual([
      [0, 0, 0, 4],
      [1, 0, 0, 4],
    ]);
  });

  it('brackets: trials per Hyperband bracket and how many reached each rung', async () => {
    const { app, storage } = await seededApp();
    const { trials } = await seedHyperband(storage);
    const body = (await (await call(app, '/api/studies/hb/brackets')).json()) as {
      scheduler: string;
      brackets: { bracket: number; trials: number; reached: number[]; states: Record<string, number> }[];
    };
    expect(body.scheduler).toBe('hyperband');
    // What the scheduler wrote on each trial, tallied here: its bracket, and the rungs it reached.
    const brackets = [...new Set(trials.map((t) => bracketOf(t) ?? 0))].sort();
    expect(brackets.length).toBeGreaterThan(1);
    expect(body.brackets.map((b) => b.bracket)).toEqual(brackets);
    for (const view of body.brackets) {
      const members = trials.filter((t) => (bracketOf(t) ?? 0) === view.bracket);
      const top = Math.max(...members.map((t) => rungOf(t) ?? 0));
      expect(view.trials).toBe(members.length);
      expect(view.reached).toEqual(Array.from({ length: top + 1 }, (_, k) => members.filter((t) => (rungOf(t) ?? 0) >= k).length));
      const states = Object.fromEntries(
        ['complete', 'pruned'].map((s) => [s, members.filter((t) => t.state === s).length]).filter(([, n]) => n),
      );
      expect(view.states).toEqual(states);
    }
    // Successive halving: some trials stopped at a rung, some promoted past one, and each rung holds fewer trials.
    expect(trials.some((t) => t.state === 'pruned') && trials.some((t) => (rungOf(t) ?? 0) > 0)).toBe(true);
    for (const view of body.brackets) view.reached.forEach((n, k) => k > 0 && expect(n).toBeLessThanOrEqual(view.reached[k - 1] as number));
    // ASHA: one bracket; the seeded trials carry no rung yet.
    expect((await (await call(app, '/api/studies/small/brackets')).json()) as unknown).toMatchObject({
      scheduler: 'asha',
      brackets: [{ bracket: 0, trials: 20, reached: [20] }],
    });
    expect((await (await call(app, '/api/studies/empty/brackets')).json()) as unknown).toEqual({ scheduler: null, brackets: [] });
    expect((await call(app, '/api/studies/nope/brackets')).status).toBe(404);
  });
});
