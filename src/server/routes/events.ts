import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { TrialRecord } from '../../core/types.js';
import type { Storage } from '../../storage/storage.js';
import { parseQuery, studyOr404 } from '../http.js';
import { sharedFeedReads, TrialCounts } from '../study-feed.js';
import { trialRow, trialStamp } from '../views.js';

export interface EventOptions {
  /** How often storage is polled for changes. */
  readonly pollMs?: number;
  /** How often a comment keeps idle proxies and browsers from closing the stream. */
  readonly heartbeatMs?: number;
}

const eventsQuery = z.strictObject({ since: z.coerce.number().int().min(0).optional() });

/**
 * `GET /:name/events`: server-sent events. Each `update` event carries the trials that changed since the last one
 * and the study's state and counts. The stream follows the study's change feed, so it sees the trials every process
 * on every machine writes to the same storage, and each poll reads what changed, not the whole study. An event's id
 * is the feed's mark after it: a browser that reconnects (`Last-Event-ID`) gets what changed after it, and a page
 * passing `?since=` (the `stamp` of its trial listing, ms) gets the trials changed at or after that time first.
 */
export function eventsRoutes(storage: Storage, options: EventOptions = {}): Hono {
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  // Half the poll interval: a stream's view is at most that much older than if it had read storage itself.
  const read = sharedFeedReads(storage, pollMs / 2);
  const app = new Hono();

  app.get('/:name/events', async (c) => {
    const query = parseQuery(c, eventsQuery);
    if (query instanceof Response) return query;
    const study = await studyOr404(c, storage);
    if (study instanceof Response) return study;
    const lastEventId = c.req.header('last-event-id');
    const resume = lastEventId !== undefined && /^\d+$/.test(lastEventId) ? Number(lastEventId) : null;

    return streamSSE(c, async (stream) => {
      const deleted = () => stream.writeSSE({ event: 'deleted', data: JSON.stringify({ name: study.name }) });
      // Every trial once, for the counts; after that only changes are read.
      let last = await read(study.name, study.id, 0);
      if (!last.study) return void (await deleted());
      const counts = new TrialCounts();
      counts.apply(last.changes.items);
      let mark = last.changes.seq;
      // What the first update carries. Without a resume point, none: the page has just listed the trials.
      let changed: readonly TrialRecord[] = [];
      if (resume !== null && resume <= mark) {
        last = await read(study.name, study.id, resume);
        if (!last.study) return void (await deleted());
        counts.apply(last.changes.items);
        ({ items: changed, seq: mark } = last.changes);
      } else if (resume !== null) {
        // A mark this study never reached (another database's, or an older server's time stamp): send everything.
        changed = last.changes.items;
      } else if (query.since !== undefined) {
        const since = query.since;
        changed = last.changes.items.filter((t) => trialStamp(t) >= since);
      }
      let current = last.study;
      let lastState: string | null = null;
      let lastBeat = Date.now();
      while (!stream.aborted && !stream.closed) {
        if (changed.length > 0 || current.state !== lastState) {
          await stream.writeSSE({
            event: 'update',
            id: String(mark),
            data: JSON.stringify({ state: current.state, counts: counts.current(), trials: changed.map(trialRow) }),
          });
          lastState = current.state;
          lastBeat = Date.now();
        } else if (Date.now() - lastBeat >= heartbeatMs) {
          await stream.write(': heartbeat\n\n');
          lastBeat = Date.now();
        }
        await stream.sleep(pollMs);
        if (stream.aborted || stream.closed) return;
        const next = await read(study.name, study.id, mark);
        if (!next.study) return void (await deleted());
        counts.apply(next.changes.items);
        ({ items: changed, seq: mark } = next.changes);
        current = next.study;
      }
    });
  });

  return app;
}
