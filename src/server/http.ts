import type { Context } from 'hono';
import type { z } from 'zod';
import type { StudyRecord } from '../core/types.js';
import { formatPath } from '../space/errors.js';
import type { Storage } from '../storage/storage.js';

/** A 400 whose issues name the JSON path of each problem, e.g. `{ path: 'query.limit', message: '…' }`. */
export function invalid(c: Context, where: 'query' | 'body' | 'params', error: z.ZodError): Response {
  return c.json(
    {
      error: 'invalid request',
      issues: error.issues.map((i) => ({ path: formatPath([where, ...i.path]), message: i.message.replace(/^Invalid input: /, '') })),
    },
    400,
  );
}

/** Parses the request's query string with `schema`; a Response means it was invalid. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> | Response {
  const parsed = schema.safeParse(c.req.query());
  return parsed.success ? parsed.data : invalid(c, 'query', parsed.error);
}

/** The request's body read as JSON, or a 400 response when it is not JSON. */
export async function readJson(c: Context): Promise<{ readonly value: unknown } | Response> {
  try {
    return { value: await c.req.json() };
  } catch {
    return c.json({ error: 'malformed JSON' }, 400);
  }
}

/** Parses the request's JSON body with `schema`; a Response means it was malformed or invalid. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S> | Response> {
  const body = await readJson(c);
  if (body instanceof Response) return body;
  const parsed = schema.safeParse(body.value);
  return parsed.success ? parsed.data : invalid(c, 'body', parsed.error);
}

/** The study named in the path, or a 404 response. */
export async function studyOr404(c: Context, storage: Storage): Promise<StudyRecord | Response> {
  const name = c.req.param('name') ?? '';
  const study = await storage.findStudy(name);
  return study ?? c.json({ error: `no study named "${name}"` }, 404);
}
