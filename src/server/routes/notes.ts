import { Hono } from 'hono';
import { z } from 'zod';
import type { Storage } from '../../storage/storage.js';
import { invalid, studyOr404 } from '../http.js';

/** Longest note accepted, in characters: a page of text, well inside the API's 64 KiB body limit. */
export const MAX_NOTE_CHARS = 20_000;

const noteBody = z.strictObject({
  text: z.string().max(MAX_NOTE_CHARS),
  /** The version the editor started from; a save over someone else's newer one is refused (409). */
  version: z.number().int().min(0),
});

/** A study's free-text note: read it, save it over the version you read. */
export function notesRoutes(storage: Storage): Hono {
  const app = new Hono();

  app.get('/:name/note', async (c) => {
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    return c.json(await storage.getStudyNote(study.id));
  });

  app.put('/:name/note', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'malformed JSON' }, 400);
    }
    const parsed = noteBody.safeParse(body);
    if (!parsed.success) return invalid(c, 'body', parsed.error);
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const { saved, note } = await storage.setStudyNote(study.id, parsed.data.text, parsed.data.version);
    if (!saved) {
      return c.json({ error: `the note was saved elsewhere since version ${parsed.data.version} (now version ${note.version})`, issues: [{ path: 'body.version', message: `is ${parsed.data.version}, the stored note is at ${note.version}` }], note }, 409);
    }
    return c.json(note);
  });

  return app;
}
