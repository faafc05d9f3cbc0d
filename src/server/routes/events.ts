import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { StudyRecord, TrialRecord } from '../../core/types.js';
import type { Storage } from '../../storage/storage.js';
import { parseQuery, studyOr404 } from '../http.js';
import { trialRow, trialStamp } from '../views.js';

export interface EventOptions {
  /** How often storage is polled for changes. */
  readonly pollMs?: number;
  /** How often a comment keeps idle proxies and browsers from closing the stream. */
  readonly heartbeatMs?: number;
}

const eventsQuery = z.strictObject({ since: z.coerce.number().int().min(0).optional() });

interface Snapshot {
  readonly study: StudyRecord | null;
  readonly trials: readonly TrialRecord[];
}

/**
 * One storage read per study per `maxAgeMs`, however many streams follow it: each stream reading its own made the
 * poll cost grow with clients × trials (100 tabs on a 1,000-trial study parsed 100,000 trials a second).
 */
function sharedSnapshots(storage: Storage, maxAgeMs: number): (name: string) => Promise<Snapshot> {
  const cache = new Map<string, Promise<Snapshot>>();
  return (name) => {
    let snapshot = cache.get(name);
    if (!snapshot) {
      snapshot = (async () => {
        const study = await storage.findStudy(name);
        return { study, trials: study ? await storage.listTrials(study.id) : [] };
      })();
      cache.set(name, snapshot);
      // Dropped after maxAgeMs (or at once on failure), so studies nobody follows any more hold no memory.
      const forget = () => void setTimeout(() => cache.get(name) === snapshot && cache.delete(name), maxAgeMs).unref();
      snapshot.then(forget, () => cache.delete(name));
    }
    return snapshot;
  };
}

/**
 * `GET /:name/events`: server-sent events. Each `update` event carries the trials that changed since the last one
 * and the study's state and counts; its id is the newest change stamp (ms), so a browser that reconnects with
 * `Last-Event-ID` (or a page passing `?since=` from its trial listing) resumes without gaps. Trials changed within
 * the stamp's millisecond may be sent twice; the page replaces by trial number, so that is harmless.
 */
export function eventsRoutes(storage: Storage, options: EventOptions = {}): Hono {
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  // Half the poll interval: a stream's view is at most that much older than if it had read storage itself.
  const snapshot = sharedSnapshots(storage, pollMs / 2);
  const app = new Hono();

  app.get('/:name/events', async (c) => {
    const query = parseQuery(c, eventsQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const lastEventId = Number(c.req.header('last-event-id'));
    let since: number | null = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : query.since ?? null;

    return streamSSE(c, async (stream) => {
      const sent = new Map<number, number>();
      let lastState: string | null = null;
      let lastBeat = Date.now();
      while (!stream.aborted && !stream.closed) {
        const { study: current, trials } = await snapshot(study.name);
        if (!current || current.id !== study.id) {
          await stream.writeSSE({ event: 'deleted', data: JSON.stringify({ name: study.name }) });
          return;
        }
        const newest = trials.reduce((m, t) => Math.max(m, trialStamp(t)), since ?? 0);
        // Without a resume point the page has just listed the trials: only later changes matter.
        if (since === null) since = newest;
        const changed = trials.filter((t) => trialStamp(t) >= (since as number) && sent.get(t.number) !== trialStamp(t));
        if (changed.length > 0 || current.state !== lastState) {
          for (const t of changed) sent.set(t.number, trialStamp(t));
          const counts = { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 };
          for (const t of trials) counts[t.state]++;
          await stream.writeSSE({
            event: 'update',
            id: String(newest),
            data: JSON.stringify({ state: current.state, counts, trials: changed.map(trialRow) }),
          });
          lastState = current.state;
          since = newest;
          lastBeat = Date.now();
        } else if (Date.now() - lastBeat >= heartbeatMs) {
          await stream.write(': heartbeat\n\n');
          lastBeat = Date.now();
        }
        await stream.sleep(pollMs);
      }
    });
  });

  return app;
}
