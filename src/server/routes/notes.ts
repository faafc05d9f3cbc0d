import { Hono } from 'hono';
import { z } from 'zod';
import type { Storage } from '../../storage/storage.js';
import { parseBody, studyOr404 } from '../http.js';

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
    const parsed = await parseBody(c, noteBody);
    if (parsed instanceof Response) return parsed;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const { saved, note } = await storage.setStudyNote(study.id, parsed.text, parsed.version);
    if (!saved) {
      return c.json(
        {
          error: `the note was saved elsewhere since version ${parsed.version} (now version ${note.version})`,
          issues: [{ path: 'body.version', message: `is ${parsed.version}, the stored note is at ${note.version}` }],
          note,
        },
        409,
      );
    }
    return c.json(note);
  });

  return app;
}
