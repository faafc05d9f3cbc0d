import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { Predictor } from '../export/predictor.js';

/** Largest request body `POST /predict` accepts. */
export const PREDICT_BODY_LIMIT = 4 * 1024 * 1024;
const MAX_ROWS = 10_000;

const requestSchema = z.strictObject({
  rows: z.array(z.union([z.record(z.string(), z.unknown()), z.string(), z.array(z.number())])).min(1).max(MAX_ROWS),
  probabilities: z.boolean().optional(),
});

/**
 * The prediction service for one export: `POST /predict` ({ rows: [...] } in, predictions out, validated and
 * size-limited), `GET /health`, and `GET /model` (the manifest without checksums or file paths).
 */
export function predictApp(predictor: Predictor): Hono {
  const app = new Hono();
  const { manifest } = predictor;
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
  app.post(
    '/predict',
    bodyLimit({ maxSize: PREDICT_BODY_LIMIT, onError: (c) => c.json({ error: `request body over ${PREDICT_BODY_LIMIT} bytes` }, 413) }),
    async (c) => {
      if (!(c.req.header('content-type') ?? '').startsWith('application/json')) return c.json({ error: 'send JSON (content-type: application/json)' }, 415);
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ error: 'malformed JSON' }, 400);
      }
      const parsed = requestSchema.safeParse(body);
      if (!parsed.success) {
        return c.json({ error: 'invalid request', issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) }, 400);
      }
      try {
        const { rows, probabilities } = parsed.data;
        const predictions = predictor.predict(rows);
        return c.json({ predictions, ...(probabilities && manifest.task === 'classification' ? { probabilities: predictor.predictProba(rows) } : {}) });
      } catch (error) {
        if (error instanceof InputError) return c.json({ error: error.message }, 422);
        throw error;
      }
    },
  );
  return app;
}
