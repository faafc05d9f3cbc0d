import { Hono } from 'hono';
import { runStudy } from '../../api/autotune.js';
import { validateStudy, type ValidatedStudy } from '../../api/validate-study.js';
import { describeError, InputError } from '../../core/errors.js';
import { parseStudy } from '../../space/load.js';
import type { StudyConfig } from '../../space/schema.js';
import type { Storage } from '../../storage/storage.js';
import { confinedDataPath } from '../data-root.js';
import { readJson } from '../http.js';

export interface LaunchOptions {
  /** Datasets of launched studies must lie under this directory. */
  readonly dataRoot: string;
  /** Allow study files that name code (an objective or loss module): remote code execution, so off by default. */
  readonly allowCode: boolean;
  /** Told when a launched study's search has ended (complete, failed or stopped) and its outcome is stored. */
  readonly onSettled?: (name: string) => void;
}

/**
 * `POST /api/studies` with a study file as the body: validated by the study-file schema (errors carry JSON paths),
 * its dataset confined to the data root, then run in the background by this server's own pool and storage.
 */
export function launchRoutes(storage: Storage, options: LaunchOptions): Hono {
  const app = new Hono();
  const running = new Set<string>();

  app.post('/', async (c) => {
    const body = await readJson(c);
    if (body instanceof Response) return body;
    let config: StudyConfig;
    try {
      config = parseStudy(body.value);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return c.json({ error: 'invalid study', issues: error.issues.length > 0 ? error.issues : [error.message] }, 400);
    }
    if (!options.allowCode && (config.objective.module || config.training.lossModule)) {
      const path = config.objective.module ? 'objective.module' : 'training.lossModule';
      return c.json(
        { error: `${path}: studies that run code cannot be launched over HTTP (start the dashboard with --allow-code to permit it)` },
        403,
      );
    }
    if (config.data) {
      try {
        const test = config.data.test
          ? { test: { source: confinedDataPath(options.dataRoot, config.data.test.source, 'data.test.source') } }
          : {};
        config = { ...config, data: { ...config.data, source: confinedDataPath(options.dataRoot, config.data.source), ...test } };
      } catch (error) {
        return c.json({ error: (error as Error).message }, 400);
      }
    }
    // The same gate as `autotune run`, once the data path is confined: a bad dataset or metric is a 400 now, not a
    // study that fails in the background.
    let validated: ValidatedStudy;
    try {
      validated = validateStudy(config);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return c.json({ error: 'invalid study', issues: error.issues.length > 0 ? error.issues : [error.message] }, 400);
    }
    if (running.has(config.name) || (await storage.findStudy(config.name))) {
      return c.json({ error: `a study named "${config.name}" already exists` }, 409);
    }
    running.add(config.name);
    // The search outlives the request; its progress is visible through the other routes and the event stream.
    void runStudy(validated, { storage })
      .catch(async (error) => {
        const study = await storage.findStudy(config.name);
        if (study) await storage.setStudySystemAttr(study.id, 'launch_error', describeError(error));
      })
      // Storage itself gone (closed, unreachable): nothing left to record it in, and the server must stay up.
      .catch(() => undefined)
      .finally(() => {
        running.delete(config.name);
        options.onSettled?.(config.name);
      });
    return c.json({ name: config.name, state: 'running' }, 202);
  });
  return app;
}
