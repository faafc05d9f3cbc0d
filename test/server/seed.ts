import { validateStudy } from '../../src/api/validate-study.js';
import type { Direction } from '../../src/core/types.js';
import { dashboardApp } from '../../src/server/dashboard-app.js';
import { defaultAllowedHosts } from '../../src/server/guards.js';
import { MemoryStorage, type Storage } from '../../src/storage/index.js';

export const TOKEN = 'test-token-0123456789abcdef';
export const PORT = 8765;
export const ORIGIN = `http://127.0.0.1:${PORT}`;

/**
 * Adds a study with `trials` trials through the storage API, as a search would: each runs `epochs` steps reporting
 * `val_loss` and `loss`, then completes with value = its final val_loss; every fifth is pruned and every seventh fails.
 */
export async function seedStudy(
  storage: Storage,
  fields: { name: string; trials: number; epochs: number; direction?: Direction; sampler?: unknown },
): Promise<void> {
  // The config a search would store: through the same gate (validateStudy), so the dashboard reads a real one. The
  // name is set after it: tests give names the gate refuses (markup) on purpose, since a study made through the
  // storage API in code is not validated and the dashboard must still escape it.
  const { config: validated } = validateStudy(
    {
      name: 'seeded',
      objective: { metric: 'val_loss', direction: fields.direction ?? 'minimize' },
      search: { sampler: fields.sampler ?? 'tpe', scheduler: { type: 'asha', eta: 3 } },
      space: { lr: { float: [1e-4, 0.1], log: true }, units: { choice: [16, 32, 64, 128] }, activation: { choice: ['relu', 'tanh'] } },
    },
    { inlineObjective: true },
  );
  const config = { ...validated, name: fields.name };
  const study = await storage.createStudy({ name: fields.name, directions: [config.objective.direction], config });
  await storage.setStudySystemAttr(study.id, 'data_quality', { rows: 100, warnings: ['class imbalance'] });
  for (let i = 0; i < fields.trials; i++) {
    const lr = 10 ** (-4 + (3 * ((i * 7) % 11)) / 10);
    const units = [16, 32, 64, 128][i % 4] as number;
    const trial = await storage.createTrial(study.id, {
      state: 'running',
      params: { lr, units, activation: i % 2 ? 'relu' : 'tanh' },
      distributions: {
        lr: { kind: 'float', low: 1e-4, high: 0.1, log: true },
        units: { kind: 'categorical', choices: [16, 32, 64, 128] },
        activation: { kind: 'categorical', choices: ['relu', 'tanh'] },
      },
      seed: i,
    });
    // The value depends mostly on lr (distance from 1e-2.5), a little on units.
    const final = (Math.log10(lr) + 2.5) ** 2 + units / 1000;
    for (let e = 1; e <= fields.epochs; e++) await storage.recordStep(trial.id, e, { val_loss: final + 1 / e, loss: final + 0.5 / e });
    if (i % 7 === 6) await storage.finishTrial(trial.id, { state: 'failed', reason: 'out of memory', backend: 'cpu' });
    else if (i % 5 === 4)
      await storage.finishTrial(trial.id, { state: 'pruned', values: [final + 1], backend: 'cpu', reason: 'asha rung 1' });
    else {
      await storage.setTrialSystemAttr(trial.id, 'diagnoses', ['overfitting: val_loss rose while loss fell']);
      await storage.finishTrial(trial.id, { state: 'complete', values: [final], metrics: { val_loss: final }, backend: 'cpu' });
    }
  }
}

/** A dashboard on fresh memory storage holding `small` (20 trials × 5 epochs) and `empty`. */
export async function seededApp(options: { pollMs?: number } = {}) {
  const storage = new MemoryStorage();
  await seedStudy(storage, { name: 'small', trials: 20, epochs: 5 });
  await storage.createStudy({ name: 'empty', directions: ['maximize'], config: {} });
  const app = dashboardApp({
    storage,
    token: TOKEN,
    allowedHosts: defaultAllowedHosts(PORT),
    events: { pollMs: options.pollMs ?? 20, heartbeatMs: 50 },
  });
  return { storage, app };
}

type App = Awaited<ReturnType<typeof seededApp>>['app'];

/** A request to the app as a browser on the loopback address would send it, with the bearer token unless told. */
export function call(app: App, path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('host')) headers.set('host', `127.0.0.1:${PORT}`);
  const token = init.token === undefined ? TOKEN : init.token;
  if (token !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return Promise.resolve(app.request(`${ORIGIN}${path}`, { ...init, headers }));
}
