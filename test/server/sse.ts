/** One server-sent event as a test reads it; a comment line (`: heartbeat`) comes as `comment`. */
export interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/** A live update's id (the feed's mark) and payload. */
export interface Update {
  readonly id: number;
  readonly state: string;
  readonly counts: Record<string, number>;
  readonly trials: { number: number; state: string; value: number | null }[];
}

export const updates = (events: readonly SseEvent[]): Update[] =>
  events.filter((e) => e.event === 'update').map((e) => ({ id: Number(e.id), ...(JSON.parse(e.data as string) as Omit<Update, 'id'>) }));

/**
 * Follows an event stream: `until(p)` reads on until the events so far satisfy `p` (or the deadline passes, which
 * fails the test), so a test can act between events and wait on the next; `close()` ends the stream, which ends the
 * server's loop.
 */
export function followEvents(res: Response, timeoutMs = 10_000) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  return {
    events,
    async until(done: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (!done(events)) {
        if (Date.now() > deadline) throw new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`the stream ended; got ${JSON.stringify(events)}`);
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          events.push(parseEvent(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
      }
      return events;
    },
    close: () => reader.cancel(),
  };
}

/** Reads events until `until` is satisfied, then closes the stream. */
export async function readEvents(res: Response, until: (events: SseEvent[]) => boolean, timeoutMs = 5000): Promise<SseEvent[]> {
  const stream = followEvents(res, timeoutMs);
  try {
    return await stream.until(until);
  } finally {
    await stream.close();
  }
}

function parseEvent(block: string): SseEvent {
  const event: SseEvent = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) event.comment = line.slice(1).trim();
    else {
      const [key, ...rest] = line.split(':');
      (event as Record<string, string>)[key as string] = rest.join(':').trimStart();
    }
  }
  return event;
}
