import { describe, expect, it } from 'vitest';
import { call, seededApp } from './seed.js';
import { followEvents, readEvents, type SseEvent, updates } from './sse.js';

describe('live updates (server-sent events)', () => {
  it('needs the token', async () => {
    const { app } = await seededApp();
    expect((await call(app, '/api/studies/small/events', { token: null })).status).toBe(401);
    expect((await call(app, '/api/studies/nope/events')).status).toBe(404);
  });

  it('streams new and finished trials with increasing ids, and state changes, and heartbeats when idle', async () => {
    const { app, storage } = await seededApp();
    const res = await call(app, '/api/studies/small/events');
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const study = (await storage.findStudy('small'))!;
    // Each change is made after the stream has shown the one before, so the order is the test's, not a sleep's.
    const stream = followEvents(res);
    const twenty = (events: SseEvent[]) => updates(events).flatMap((u) => u.trials.filter((t) => t.number === 20).map((t) => t.state));
    try {
      await stream.until((ev) => updates(ev).length > 0);
      const trial = await storage.createTrial(study.id, { state: 'running', params: { lr: 0.01 }, distributions: {}, seed: 0 });
      await stream.until((ev) => twenty(ev).includes('running'));
      await storage.finishTrial(trial.id, { state: 'complete', values: [0.1] });
      await stream.until((ev) => twenty(ev).includes('complete'));
      await storage.setStudyState(study.id, 'stopped');
      const stopped = await stream.until((ev) => updates(ev).some((u) => u.state === 'stopped'));
      const idle = stopped.length;
      const events = await stream.until((ev) => ev.slice(idle).some((e) => e.comment === 'heartbeat'));
      const got = updates(events);
      expect(got[0]?.state).toBe('running');
      expect(twenty(events)).toEqual(['running', 'complete']);
      const ids = got.map((u) => u.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(got.at(-1)?.state).toBe('stopped');
    } finally {
      await stream.close();
    }
  });

  it('resumes from Last-Event-ID (the feed mark of the last event seen): sends what changed after it, not the whole study', async () => {
    const { app, storage } = await seededApp();
    const study = (await storage.findStudy('small'))!;
    const [seen] = updates(await readEvents(await call(app, '/api/studies/small/events'), (ev) => updates(ev).length > 0));
    expect(seen?.trials).toEqual([]);
    const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    const res = await call(app, '/api/studies/small/events', { headers: { 'last-event-id': String(seen?.id) } });
    const [first] = updates(await readEvents(res, (ev) => updates(ev).length > 0));
    expect(first?.trials.map((t) => t.number)).toEqual([trial.number]);
    expect(first?.id).toBeGreaterThan(seen?.id as number);
    expect(first?.counts).toMatchObject({ running: 1, complete: 14 });
    // An id this study never reached (an older server's time stamp): every trial, rather than nothing.
    const stale = await call(app, '/api/studies/small/events', { headers: { 'last-event-id': String(Date.now()) } });
    const numbers = (ev: Parameters<typeof updates>[0]) => new Set(updates(ev).flatMap((u) => u.trials.map((t) => t.number)));
    const sent = await readEvents(stale, (ev) => numbers(ev).size === 21);
    expect(updates(sent)[0]?.trials.length).toBeGreaterThanOrEqual(20);
  });

  it('starts from ?since= (the stamp of the trial listing): the trials changed at or after it', async () => {
    const { app, storage } = await seededApp();
    const study = (await storage.findStudy('small'))!;
    const listed = (await (await call(app, '/api/studies/small/trials?limit=1')).json()) as { stamp: number };
    // The new trial's stamp must be a later millisecond than the listing's: wait for the clock to pass it.
    while (Date.now() <= listed.stamp) await new Promise((r) => setImmediate(r));
    const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    const bySince = await call(app, `/api/studies/small/events?since=${listed.stamp + 1}`);
    const [again] = updates(await readEvents(bySince, (ev) => updates(ev).length > 0));
    expect(again?.trials.map((t) => t.number)).toEqual([trial.number]);
  });
});
