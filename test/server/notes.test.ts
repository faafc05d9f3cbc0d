import { describe, expect, it } from 'vitest';
import { call, seededApp } from './seed.js';

const json = { 'content-type': 'application/json' };
const put = (body: unknown, headers: Record<string, string> = json) => ({
  method: 'PUT',
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('study notes over the dashboard API', () => {
  it('saves a note over the version it was read at, refuses a stale save (409), and returns the text as written', async () => {
    const { app, storage } = await seededApp();
    expect(await (await call(app, '/api/studies/small/note')).json()).toEqual({ text: '', version: 0, updatedAt: null });
    const text = 'lr above 1e-2 diverges.\n<script>alert(1)</script> stays text';
    const saved = await call(app, '/api/studies/small/note', put({ text, version: 0 }));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ text, version: 1 });
    const stale = await call(app, '/api/studies/small/note', put({ text: 'from a second tab', version: 0 }));
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ issues: [{ path: 'body.version' }], note: { text, version: 1 } });
    expect(await (await call(app, '/api/studies/small/note')).json()).toMatchObject({ text, version: 1 });
    // Stored per study: the other study's note is untouched.
    const empty = await storage.findStudy('empty');
    expect((await storage.getStudyNote(empty?.id ?? -1)).text).toBe('');
    expect((await call(app, '/api/studies/nope/note')).status).toBe(404);
  });

  it('obeys the mutation guards: token, Host, JSON only, origin; and names the body path of a bad request', async () => {
    const { app, storage } = await seededApp();
    const body = { text: 'x', version: 0 };
    expect((await call(app, '/api/studies/small/note', { ...put(body), token: null })).status).toBe(401);
    expect((await call(app, '/api/studies/small/note', put(body, { ...json, host: 'evil.example:8765' }))).status).toBe(403);
    expect((await call(app, '/api/studies/small/note', put(body, { ...json, origin: 'http://evil.example' }))).status).toBe(403);
    expect((await call(app, '/api/studies/small/note', put(body, { 'content-type': 'text/plain' }))).status).toBe(415);
    expect((await call(app, '/api/studies/small/note', put('{"text":'))).status).toBe(400);
    const extra = await call(app, '/api/studies/small/note', put({ ...body, html: true }));
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('body');
    const long = await call(app, '/api/studies/small/note', put({ text: 'x'.repeat(20_001), version: 0 }));
    expect(((await long.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('body.text');
    const noVersion = await call(app, '/api/studies/small/note', put({ text: 'x' }));
    expect(((await noVersion.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('body.version');
    const study = await storage.findStudy('small');
    expect(await storage.getStudyNote(study?.id ?? -1)).toEqual({ text: '', version: 0, updatedAt: null });
  });
});
