import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/core/errors.js';
import { parsePostgresUrl } from '../../src/storage/postgres/connect.js';
import { DEFAULT_RETRY, isConnectionFailure, retryConnectionFailures } from '../../src/storage/postgres/retry.js';
import { usePostgresDatabases } from '../helpers/postgres.js';
import { freePort } from '../helpers/ports.js';

const database = usePostgresDatabases();
const quick = { forMs: 300, initialDelayMs: 5, maxDelayMs: 20 };

/** What `body` throws, as pg throws it. */
async function thrown(body: () => Promise<unknown>): Promise<unknown> {
  return body().then(
    () => expect.fail('expected an error'),
    (e: unknown) => e,
  );
}

describe('which PostgreSQL errors are retried', () => {
  it('retries the connection failing, not the statement: errors as pg gives them', async () => {
    const url = await database();
    const refused = await thrown(async () => {
      const client = new pg.Client({ connectionString: `postgres://u:p@127.0.0.1:${await freePort()}/db` });
      await client.connect();
    });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const duplicate = await thrown(() => client.query('CREATE TABLE t (x int PRIMARY KEY); INSERT INTO t VALUES (1), (1)'));
    const syntax = await thrown(() => client.query('SELEC 1'));
    // A session ended by the server, as a restart's fast shutdown ends every session.
    client.on('error', () => {});
    const terminated = await thrown(() =>
      client.query(`SELECT pg_terminate_backend(${(client as unknown as { processID: number }).processID}), pg_sleep(5)`),
    );
    await client.end().catch(() => {});

    expect(isConnectionFailure(refused)).toBe(true);
    expect(isConnectionFailure(terminated)).toBe(true);
    expect(isConnectionFailure(new StorageError('PostgreSQL at …: connect ECONNREFUSED', { cause: refused }))).toBe(true);
    expect(isConnectionFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionFailure(duplicate)).toBe(false);
    expect(isConnectionFailure(syntax)).toBe(false);
    expect(isConnectionFailure(new StorageError('no study with id 3'))).toBe(false);
  });

  it('repeats a connection failure until it passes, telling each attempt how many came before', async () => {
    const attempts: number[] = [];
    const result = await retryConnectionFailures(quick, async (previous) => {
      attempts.push(previous);
      if (previous < 3) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toEqual([0, 1, 2, 3]);
  });

  it('gives up with the last error once the bound has passed, and at once on any other error', async () => {
    const lost = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    // A clock of the test's own: sleeping moves it on at once, and the jitter's draw is fixed at its midpoint.
    let now = 0;
    const waits: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => void (waits.push(ms), (now += ms)), random: () => 0.5 };
    let tries = 0;
    await expect(retryConnectionFailures({ ...quick, clock }, async () => (tries++, Promise.reject(lost)))).rejects.toBe(lost);
    // Waits of 75 % of each step (5, 10, 20, 20, … ms), the last attempt the one whose next wait would pass the bound.
    expect(waits.slice(0, 4)).toEqual([3.75, 7.5, 15, 15]);
    expect(now).toBeLessThanOrEqual(quick.forMs);
    expect(now + 15).toBeGreaterThan(quick.forMs);
    expect(tries).toBe(waits.length + 1);

    const bug = new RangeError('not a connection');
    let once = 0;
    await expect(retryConnectionFailures(quick, async () => (once++, Promise.reject(bug)))).rejects.toBe(bug);
    expect(once).toBe(1);
    let never = 0;
    await expect(retryConnectionFailures({ ...quick, forMs: 0 }, async () => (never++, Promise.reject(lost)))).rejects.toBe(lost);
    expect(never).toBe(1);
  });

  it('takes its bound from ?retry_for (seconds, 0 for none), passing the rest of the URL on to pg', () => {
    expect(parsePostgresUrl('postgres://u:p@h/db').retry).toEqual(DEFAULT_RETRY);
    expect(parsePostgresUrl('postgres://u:p@h/db', { retryForMs: 5_000 }).retry.forMs).toBe(5_000);
    const parsed = parsePostgresUrl('postgres://u:p@h/db?retry_for=0&sslmode=disable');
    expect(parsed.retry.forMs).toBe(0);
    expect(parsed.connectionString).toBe('postgres://u:p@h/db?sslmode=disable');
    expect(() => parsePostgresUrl('postgres://u:secret@h/db?retry_for=-1')).toThrow(
      'storage "postgres://u:***@h/db?retry_for=-1": retry_for must be a whole number of seconds',
    );
  });
});
