import { Hono } from 'hono';
import { z } from 'zod';
import type { Storage } from '../../storage/storage.js';
import { learningCurves, MAX_CHART_POINTS } from '../analysis/curves.js';
import { optimizationHistory } from '../analysis/history.js';
import { MIN_TRIALS_FOR_IMPORTANCE, paramImportance } from '../analysis/importance.js';
import { parseQuery, studyOr404 } from '../http.js';
import { objectiveMetric } from '../views.js';

const curvesQuery = z.strictObject({
  metric: z.string().min(1).max(200).optional(),
  trials: z.coerce.number().int().min(1).max(200).default(50),
});

/** Chart data computed on the server, each response capped at MAX_CHART_POINTS points. */
export function analysisRoutes(storage: Storage): Hono {
  const app = new Hono();

  app.get('/:name/history', async (c) => {
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const trials = await storage.listTrialPoints(study.id, { states: ['complete'] });
    return c.json({ direction: study.directions[0] ?? 'minimize', ...optimizationHistory(trials, study.directions[0] ?? 'minimize') });
  });

  app.get('/:name/curves', async (c) => {
    const query = parseQuery(c, curvesQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const [trials, metrics] = await Promise.all([storage.listTrialPoints(study.id), storage.listStepMetrics(study.id)]);
    return c.json({
      maxPoints: MAX_CHART_POINTS,
      ...(await learningCurves(trials, metrics, (ids) => storage.listStepsOf(study.id, ids), {
        direction: study.directions[0] ?? 'minimize',
        metric: query.metric,
        preferred: objectiveMetric(study),
        maxTrials: query.trials,
      })),
    });
  });

  app.get('/:name/importance', async (c) => {
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const trials = await storage.listTrialPoints(study.id, { states: ['complete'], params: true });
    return c.json({
      method: 'first-order variance share (η²) of the objective over quantile bins of each parameter',
      minTrials: MIN_TRIALS_FOR_IMPORTANCE,
      params: paramImportance(trials),
    });
  });

  return app;
}
