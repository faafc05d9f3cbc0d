import { Hono } from 'hono';
import { z } from 'zod';
import type { Storage } from '../../storage/storage.js';
import { compareTrials, MAX_COMPARED } from '../analysis/compare.js';
import { learningCurves } from '../analysis/curves.js';
import { empiricalDistribution } from '../analysis/edf.js';
import { paramImportance } from '../analysis/importance.js';
import { rankPlot } from '../analysis/rank-plot.js';
import { paramSpace } from '../analysis/slices.js';
import { parseQuery, studyOr404 } from '../http.js';
import { trialByNumber } from '../trial-lookup.js';
import { objectiveMetric, trialRow } from '../views.js';

const paramName = z.string().min(1).max(200);
const rankQuery = z.strictObject({ x: paramName.optional(), y: paramName.optional() });
const compareQuery = z.strictObject({
  trials: z
    .string()
    .transform((text) => text.split(',').map((s) => s.trim()))
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^\d{1,9}$/, 'expected a trial number (integer ≥ 0)')
            .transform(Number),
        )
        .min(2)
        .max(MAX_COMPARED),
    )
    .refine((numbers) => new Set(numbers).size === numbers.length, 'lists a trial twice'),
  metric: z.string().min(1).max(200).optional(),
});

/** The views optuna-dashboard users look for: the objective's EDF, the rank plot, trials side by side. */
export function insightRoutes(storage: Storage): Hono {
  const app = new Hono();

  app.get('/:name/edf', async (c) => {
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const trials = await storage.listTrialPoints(study.id, { states: ['complete'] });
    return c.json({ direction: study.directions[0] ?? 'minimize', ...empiricalDistribution(trials) });
  });

  app.get('/:name/rank', async (c) => {
    const query = parseQuery(c, rankQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const trials = await storage.listTrialPoints(study.id, { states: ['complete'], params: true });
    const space = paramSpace(trials);
    const spec = (name: string | undefined) => space.find((p) => p.name === name);
    const issues = (['x', 'y'] as const).flatMap((k) => {
      const name = query[k];
      return name !== undefined && !spec(name) ? [{ path: `query.${k}`, message: `"${name}" is not a parameter of the study` }] : [];
    });
    if (query.x !== undefined && query.x === query.y) issues.push({ path: 'query.y', message: 'must differ from x' });
    if (issues.length) return c.json({ error: 'invalid request', issues }, 400);
    // Default: the two most important parameters, then the rest by name.
    const ranked = paramImportance(trials).map((p) => p.param);
    const defaults = [...ranked, ...space.map((p) => p.name).filter((n) => !ranked.includes(n))];
    const x = spec(query.x ?? defaults.find((n) => n !== query.y));
    const y = spec(query.y ?? defaults.find((n) => n !== x?.name)) ?? null;
    if (!x) return c.json({ x: null, y: null, points: [], trials: 0, downsampled: false });
    return c.json(rankPlot(trials, x, y, study.directions[0] ?? 'minimize'));
  });

  app.get('/:name/compare', async (c) => {
    const query = parseQuery(c, compareQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const found = await Promise.all(query.trials.map((n) => trialByNumber(storage, study.id, n)));
    const missing = query.trials.flatMap((n, i) =>
      found[i] ? [] : [{ path: `query.trials[${i}]`, message: `study "${study.name}" has no trial ${n}` }],
    );
    if (missing.length) return c.json({ error: missing.map((m) => m.message).join('; '), issues: missing }, 404);
    const trials = found.filter((t) => t !== null);
    const metrics = await storage.listStepMetrics(study.id);
    if (query.metric !== undefined && !metrics.includes(query.metric)) {
      return c.json(
        {
          error: 'invalid request',
          issues: [
            {
              path: 'query.metric',
              message: `no step of the study reported "${query.metric}" (reported: ${metrics.join(', ') || 'none'})`,
            },
          ],
        },
        400,
      );
    }
    const ids = new Set(trials.map((t) => t.id));
    const points = (await storage.listTrialPoints(study.id)).filter((p) => ids.has(p.id));
    const curves = await learningCurves(points, metrics, (chosen) => storage.listStepsOf(study.id, chosen), {
      direction: study.directions[0] ?? 'minimize',
      metric: query.metric,
      preferred: objectiveMetric(study),
      maxTrials: trials.length,
    });
    return c.json({
      trials: trials.map(trialRow),
      ...compareTrials(trials),
      metric: curves.metric,
      curveMetrics: curves.metrics,
      curves: curves.curves,
      downsampled: curves.downsampled,
    });
  });

  return app;
}
