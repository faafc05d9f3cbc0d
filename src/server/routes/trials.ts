import { Hono } from 'hono';
import { z } from 'zod';
import { diagnosesOf } from '../../core/annotations.js';
import type { TrialState } from '../../core/types.js';
import { TRIAL_STATES, type Storage } from '../../storage/storage.js';
import { trialsCsv, trialsTable } from '../../storage/trials-table.js';
import { parseQuery, studyOr404 } from '../http.js';
import { trialPage } from '../trial-page.js';
import { trialByNumber } from '../trial-lookup.js';
import { trialRow } from '../views.js';

export const MAX_PAGE = 1000;

const stateList = z
  .string()
  .transform((text) => text.split(',').map((s) => s.trim()))
  .pipe(z.array(z.enum(TRIAL_STATES as [TrialState, ...TrialState[]])).min(1));

const listQuery = z.strictObject({
  state: stateList.optional(),
  sort: z.string().trim().min(1).max(300).default('number'),
  where: z.string().trim().min(1).max(4000).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
});

const csvQuery = z.strictObject({ state: stateList.optional() });

const numberParam = z.coerce.number().int().min(0);

/** Trials of a study: a sorted, filtered page; one trial with its per-epoch metrics. */
export function trialsRoutes(storage: Storage): Hono {
  const app = new Hono();

  app.get('/:name/trials', async (c) => {
    const query = parseQuery(c, listQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const page = await trialPage(storage, study.id, query);
    if (Array.isArray(page)) return c.json({ error: 'invalid request', issues: page }, 400);
    return c.json({
      total: page.total,
      offset: query.offset,
      limit: query.limit,
      // The newest change among all trials: where a live-update stream (`/events?since=`) picks up.
      stamp: page.changedAt,
      trials: page.trials.map(trialRow),
    });
  });

  // The table `autotune trials` prints, for a spreadsheet or pandas.read_csv; the file is named after the study.
  app.get('/:name/trials.csv', async (c) => {
    const query = parseQuery(c, csvQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const trials = await storage.listTrials(study.id, query.state ? { states: query.state } : {});
    const filename = `${study.name.replace(/[^\w.-]+/g, '_')}-trials.csv`;
    return c.body(trialsCsv(trialsTable(study, trials)), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
    });
  });

  app.get('/:name/trials/:number', async (c) => {
    const number = numberParam.safeParse(c.req.param('number'));
    if (!number.success)
      return c.json(
        { error: 'invalid request', issues: [{ path: 'params.number', message: 'expected a trial number (integer ≥ 0)' }] },
        400,
      );
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const trial = await trialByNumber(storage, study.id, number.data);
    if (!trial) return c.json({ error: `study "${study.name}" has no trial ${number.data}` }, 404);
    const [steps, artifacts] = await Promise.all([storage.listSteps(trial.id), storage.listArtifacts(trial.id)]);
    return c.json({
      ...trialRow(trial),
      seed: trial.seed,
      distributions: trial.distributions,
      userAttrs: trial.userAttrs,
      systemAttrs: trial.systemAttrs,
      diagnoses: diagnosesOf(trial),
      steps: steps.map((s) => ({ step: s.step, metrics: s.metrics })),
      // Paths on the server's disk stay out of responses: kinds and sizes are what the page shows.
      artifacts: artifacts.map((a) => ({ kind: a.kind, bytes: a.bytes, createdAt: a.createdAt })),
    });
  });

  return app;
}
