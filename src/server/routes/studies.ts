import { Hono } from 'hono';
import { z } from 'zod';
import { deleteStudy } from '../../controller/delete-study.js';
import type { Storage } from '../../storage/storage.js';
import { loadBestTrial } from '../analysis/best-trial.js';
import { parseBody, parseQuery, studyOr404 } from '../http.js';
import { studyRow, trialRow } from '../views.js';

const stopBody = z.strictObject({ reason: z.string().max(500).optional() });
const deleteQuery = z.strictObject({ confirm: z.string().optional() });

/** Studies: list, one, stop, delete. */
export function studiesRoutes(storage: Storage): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const studies = await storage.listStudies();
    const rows = await Promise.all(
      studies.map(async (s) => {
        const best = await loadBestTrial(storage, s);
        return studyRow(s, best ? [best] : []);
      }),
    );
    return c.json({ studies: rows });
  });

  app.get('/:name', async (c) => {
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const summary = (await storage.listStudies()).find((s) => s.id === study.id);
    const best = await loadBestTrial(storage, study);
    return c.json({
      ...studyRow(summary ?? { ...study, counts: { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 } }, best ? [best] : []),
      directions: study.directions,
      config: study.config,
      userAttrs: study.userAttrs,
      dataQuality: study.systemAttrs.data_quality ?? null,
      ensemble: study.systemAttrs.ensemble ?? null,
      bestTrial: best ? trialRow(best) : null,
    });
  });

  // Records the request; a search in another process ends the study with its own final state when it finishes.
  app.post('/:name/stop', async (c) => {
    const parsed = await parseBody(c, stopBody);
    if (parsed instanceof Response) return parsed;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    await storage.setStudyState(study.id, 'stopped');
    await storage.setStudySystemAttr(study.id, 'stop_request', { at: Date.now(), reason: parsed.reason ?? 'stopped from the dashboard' });
    return c.json({ name: study.name, state: 'stopped' });
  });

  app.delete('/:name', async (c) => {
    const query = parseQuery(c, deleteQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    if (query.confirm !== study.name) {
      return c.json(
        {
          error: `deleting needs ?confirm=${encodeURIComponent(study.name)} (the study's name)`,
          issues: [{ path: 'query.confirm', message: 'must equal the study name' }],
        },
        400,
      );
    }
    const outcome = await deleteStudy(storage, study);
    if (!outcome.deleted) {
      return c.json(
        { error: `study "${study.name}" has ${outcome.runningTrials} trial(s) still running; stop it and delete it once they have ended` },
        409,
      );
    }
    return c.json({ deleted: study.name });
  });

  return app;
}
