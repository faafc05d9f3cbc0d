import { Hono } from 'hono';
import { z } from 'zod';
import type { Storage } from '../../storage/storage.js';
import { bracketsOf } from '../analysis/brackets.js';
import { heatmap, isBinnable, isNumeric, MAX_HEATMAP_BINS } from '../analysis/heatmap.js';
import { paramImportance } from '../analysis/importance.js';
import { MAX_SLICES, paramSpace, slices } from '../analysis/slices.js';
import { parseQuery, studyOr404 } from '../http.js';
import { schedulerOf } from '../views.js';
import { MAX_TIMELINE_TRIALS, timeline } from '../analysis/timeline.js';

const paramName = z.string().min(1).max(200);
const slicesQuery = z.strictObject({
  params: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(paramName).min(1).max(MAX_SLICES))
    .optional(),
});
const heatmapQuery = z.strictObject({
  x: paramName.optional(),
  y: paramName.optional(),
  bins: z.coerce.number().int().min(2).max(MAX_HEATMAP_BINS).default(20),
});

/** The search space and views of it: slices, a two-parameter heatmap, Hyperband brackets. Bounded responses. */
export function exploreRoutes(storage: Storage): Hono {
  const app = new Hono();

  app.get('/:name/timeline', async (c) => {
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const page = await storage.pageTrials(study.id, { sort: 'number', order: 'desc', offset: 0, limit: MAX_TIMELINE_TRIALS });
    return c.json({ ...timeline(page.trials, Date.now()), truncated: page.total > page.trials.length });
  });

  app.get('/:name/space', async (c) => {
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    return c.json({ params: paramSpace(await storage.listTrialPoints(study.id, { params: true })) });
  });

  app.get('/:name/slices', async (c) => {
    const query = parseQuery(c, slicesQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const trials = await storage.listTrialPoints(study.id, { states: ['complete'], params: true });
    // Default: the most important parameters, or the first by name while importance needs more trials.
    const ranked = paramImportance(trials).map((p) => p.param);
    const names = query.params ?? (ranked.length ? ranked : paramSpace(trials).map((p) => p.name)).slice(0, MAX_SLICES);
    return c.json(slices(trials, names));
  });

  app.get('/:name/heatmap', async (c) => {
    const query = parseQuery(c, heatmapQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const trials = await storage.listTrialPoints(study.id, { states: ['complete'], params: true });
    const space = new Map(paramSpace(trials).map((p) => [p.name, p.distribution]));
    // Numbers first, then choices, each most important first: a choice shows only where fewer than two numbers exist.
    const byImportance = paramImportance(trials).map((p) => p.param);
    const ranked = [...byImportance, ...[...space.keys()].filter((n) => !byImportance.includes(n))];
    const defaults = [...ranked.filter((n) => isNumeric(space.get(n))), ...ranked.filter((n) => space.get(n)?.kind === 'categorical')];
    const x = query.x ?? defaults.find((n) => n !== query.y);
    const y = query.y ?? defaults.find((n) => n !== x);
    const issues = (['x', 'y'] as const).flatMap((k) => {
      const name = query[k];
      return name !== undefined && !isBinnable(space.get(name))
        ? [{ path: `query.${k}`, message: `"${name}" is not a numeric or categorical parameter of the study` }]
        : [];
    });
    if (x !== undefined && x === y) issues.push({ path: 'query.y', message: 'must differ from x' });
    if (issues.length) return c.json({ error: 'invalid request', issues }, 400);
    const dx = x === undefined ? undefined : space.get(x);
    const dy = y === undefined ? undefined : space.get(y);
    if (x === undefined || y === undefined || !isBinnable(dx) || !isBinnable(dy))
      return c.json({ bins: query.bins, x: null, y: null, cells: [], trials: 0 });
    return c.json({ bins: query.bins, ...heatmap(trials, { param: x, dist: dx }, { param: y, dist: dy }, query.bins) });
  });

  app.get('/:name/brackets', async (c) => {
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const scheduler = schedulerOf(study);
    const rungs = scheduler === 'hyperband' || scheduler === 'asha';
    return c.json({ scheduler, brackets: rungs ? bracketsOf(await storage.listTrials(study.id)) : [] });
  });

  return app;
}
