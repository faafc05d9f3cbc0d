import { describe, expect, it } from 'vitest';
import { call, seededApp } from './seed.js';

interface SseEvent { event?: string; id?: string; data?: string; comment?: string }

/** Reads server-sent events until `until` is satisfied, then closes the stream (which ends the server's loop). */
async function readEvents(res: Response, until: (events: SseEvent[]) => boolean, timeoutMs = 5000): Promise<SseEvent[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(events) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) event.comment = line.slice(1).trim();
          else {
            const [key, ...rest] = line.split(':');
            (event as Record<string, string>)[key as string] = rest.join(':').trimStart();
          }
        }
        events.push(event);
      }
    }
  } finally {
    await reader.cancel();
  }
  return events;
}

const updates = (events: SseEvent[]) => events.filter((e) => e.event === 'update').map((e) => ({ id: Number(e.id), ...(JSON.parse(e.data as string) as { state: string; trials: { number: number; state: string }[] }) }));

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
    setTimeout(async () => {
      await new Promise((r) => setTimeout(r, 5));
      const trial = await storage.createTrial(study.id, { state: 'running', params: { lr: 0.01 }, distributions: {}, seed: 0 });
      await new Promise((r) => setTimeout(r, 60));
      await storage.finishTrial(trial.id, { state: 'complete', values: [0.1] });
      await new Promise((r) => setTimeout(r, 60));
      await storage.setStudyState(study.id, 'stopped');
    }, 60);
    const events = await readEvents(res, (ev) => updates(ev).some((u) => u.state === 'stopped') && ev.some((e) => e.comment === 'heartbeat'));
    const got = updates(events);
    expect(got[0]?.state).toBe('running');
    const twenty = got.flatMap((u) => u.trials.filter((t) => t.number === 20).map((t) => t.state));
    expect(twenty).toEqual(['running', 'complete']);
    const ids = got.map((u) => u.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(got.at(-1)?.state).toBe('stopped');
    expect(events.some((e) => e.comment === 'heartbeat')).toBe(true);
  });

  it('resumes from Last-Event-ID: sends what changed after it, not the whole study', async () => {
    const { app, storage } = await seededApp();
    const study = (await storage.findStudy('small'))!;
    const listed = (await (await call(app, '/api/studies/small/trials?limit=1')).json()) as { stamp: number };
    await new Promise((r) => setTimeout(r, 5));
    const trial = await storage.createTrial(study.id, { state: 'running', params: {}, distributions: {}, seed: 0 });
    const res = await call(app, '/api/studies/small/events', { headers: { 'last-event-id': String(listed.stamp + 1) } });
    const [first] = updates(await readEvents(res, (ev) => updates(ev).length > 0));
    expect(first?.trials.map((t) => t.number)).toEqual([trial.number]);
    const bySince = await call(app, `/api/studies/small/events?since=${listed.stamp + 1}`);
    const [again] = updates(await readEvents(bySince, (ev) => updates(ev).length > 0));
    expect(again?.trials.map((t) => t.number)).toEqual([trial.number]);
  });
});
