import { Hono } from 'hono';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { MAX_HORIZON, type Predictor } from '../export/predictor.js';
import { allowHosts, guardMutations, securityHeaders } from './guards.js';
import { readJson } from './http.js';

/** Largest request body `POST /predict` accepts. */
export const PREDICT_BODY_LIMIT = 4 * 1024 * 1024;
const MAX_ROWS = 10_000;
/** Forecast steps one request may ask for (rows × horizon): each is a model call, and the server answers one at a time. */
export const MAX_FORECAST_STEPS = 100_000;

const requestSchema = z.strictObject({
  rows: z
    .array(z.union([z.record(z.string(), z.unknown()), z.string(), z.array(z.number())]))
    .min(1)
    .max(MAX_ROWS),
  probabilities: z.boolean().optional(),
  horizon: z.int().min(1).max(MAX_HORIZON).optional(),
});

export interface PredictAppOptions {
  /** `host:port` names requests may be addressed to (DNS-rebinding defence), e.g. `servedHosts(host, port)`. */
  readonly allowedHosts: readonly string[];
  /** Series: steps forecast per row when a request names none (then each prediction is an array of them). */
  readonly horizon?: number;
}

/**
 * The prediction service for one export: `POST /predict` ({ rows: [...] } in, predictions out, validated and
 * size-limited), `GET /health`, and `GET /model` (the manifest without checksums or file paths). It keeps the
 * dashboard's guards: a foreign `Host` is refused (403), and a POST must be JSON (415) from this origin.
 */
export function predictApp(predictor: Predictor, options: PredictAppOptions): Hono {
  const app = new Hono();
  const { manifest } = predictor;
  app.use('*', allowHosts(options.allowedHosts), securityHeaders(), ...guardMutations(options.allowedHosts, PREDICT_BODY_LIMIT));
  app.get('/health', (c) => c.json({ status: 'ok', backend: predictor.backend }));
  app.get('/model', (c) =>
    c.json({
      study: manifest.study,
      task: manifest.task,
      labels: manifest.labels,
      input: manifest.input,
      members: manifest.members.map((m) => ({ trial: m.trial, weight: m.weight, architecture: m.architecture })),
      method: manifest.combination.method,
      scores: manifest.scores,
      quantization: manifest.quantization,
      createdAt: manifest.createdAt,
    }),
  );
  app.post('/predict', async (c) => {
    const body = await readJson(c);
    if (body instanceof Response) return body;
    const parsed = requestSchema.safeParse(body.value);
    if (!parsed.success) {
      return c.json(
        { error: 'invalid request', issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) },
        400,
      );
    }
    try {
      const { rows, probabilities } = parsed.data;
      const horizon = parsed.data.horizon ?? options.horizon;
      if (horizon !== undefined && rows.length * horizon > MAX_FORECAST_STEPS) {
        return c.json(
          { error: `rows × horizon is ${rows.length * horizon}; at most ${MAX_FORECAST_STEPS} forecast steps per request` },
          413,
        );
      }
      // Asked for a horizon, each row gets an array of that many steps; otherwise a plain value, as for any export.
      if (horizon !== undefined) return c.json({ predictions: predictor.forecast(rows, horizon) });
      const predictions = predictor.predict(rows);
      return c.json({
        predictions,
        ...(probabilities && manifest.task === 'classification' ? { probabilities: predictor.predictProba(rows) } : {}),
      });
    } catch (error) {
      if (error instanceof InputError) return c.json({ error: error.message }, 422);
      throw error;
    }
  });
  return app;
}
