// Counts what a run asks of storage: calls and time per Storage method (through a proxy), and PostgreSQL round
// trips (every query `pg` sends, a multi-statement transaction being one), to tell where a trial's time goes.
import pg from 'pg';
import type { Storage } from '../src/storage/storage.js';

export interface MethodTally {
  calls: number;
  ms: number;
}

/** `storage` with every method call counted and timed into `tally`, by method name. */
export function countedStorage(storage: Storage, tally: Map<string, MethodTally>): Storage {
  return new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string' || key === 'close') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          const entry = tally.get(key) ?? { calls: 0, ms: 0 };
          entry.calls++;
          entry.ms += performance.now() - started;
          tally.set(key, entry);
        }
      };
    },
  });
}

/** Counts every query the `pg` driver sends from now on (pools call Client#query too); returns the count so far. */
export function countRoundTrips(): { count(): number; stop(): void } {
  const original = pg.Client.prototype.query;
  let n = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    n++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return {
    count: () => n,
    stop: () => void (pg.Client.prototype.query = original),
  };
}
