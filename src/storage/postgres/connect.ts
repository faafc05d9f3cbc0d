import pg from 'pg';
import { InputError } from '../../core/errors.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';

/**
 * How a PostgresStorage connects; the URL's `pool_max`, `connect_timeout` and `retry_for` (seconds) override the
 * defaults.
 */
export interface PostgresOptions {
  /**
   * Connections this process may hold (default 4). Every process of a study holds up to this many, so keep
   * processes × poolMax below the server's `max_connections` (100 by default, a few reserved for superusers).
   */
  readonly poolMax?: number;
  /** How long to wait for a connection before giving up (default 10 s), so an unreachable host fails in bounded time. */
  readonly connectTimeoutMs?: number;
  /**
   * How long an operation whose connection failed (the server restarting) is retried, with growing waits, before it
   * fails (default 60 s; 0: never). Opening is never retried: a wrong URL, password or host fails at once.
   */
  readonly retryForMs?: number;
}

export interface ParsedUrl {
  /** What is passed to `pg`: the URL without autotune's own parameters. */
  readonly connectionString: string;
  /** The URL to show: the password replaced by `***`. */
  readonly display: string;
  readonly poolMax: number;
  readonly connectTimeoutMs: number;
  readonly retry: RetryPolicy;
}

/** The URL with its password hidden, for messages and `Storage.url`; never print a URL any other way. */
export function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** Checks a `postgres://` / `postgresql://` URL and takes out autotune's parameters; throws an InputError naming it. */
export function parsePostgresUrl(url: string, options: PostgresOptions = {}): ParsedUrl {
  const display = redact(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`storage "${display}": not a valid URL (expected postgres://user:password@host:5432/database)`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InputError(`storage "${display}": expected a postgres:// or postgresql:// URL`);
  }
  if (!parsed.hostname) throw new InputError(`storage "${display}": the URL names no host`);
  const poolMax = positiveInt(parsed.searchParams.get('pool_max'), options.poolMax ?? 4, 'pool_max', display);
  const timeoutSeconds = parsed.searchParams.get('connect_timeout');
  const connectTimeoutMs =
    timeoutSeconds === null ? (options.connectTimeoutMs ?? 10_000) : positiveInt(timeoutSeconds, 10, 'connect_timeout', display) * 1000;
  const retryFor = parsed.searchParams.get('retry_for');
  const retryForMs =
    retryFor === null ? (options.retryForMs ?? DEFAULT_RETRY.forMs) : wholeNumber(retryFor, 0, 'retry_for', display) * 1000;
  parsed.searchParams.delete('pool_max');
  parsed.searchParams.delete('connect_timeout');
  parsed.searchParams.delete('retry_for');
  return { connectionString: parsed.toString(), display, poolMax, connectTimeoutMs, retry: { ...DEFAULT_RETRY, forMs: retryForMs } };
}

function positiveInt(text: string | null, fallback: number, name: string, display: string): number {
  return text === null ? fallback : wholeNumber(text, 1, name, display);
}

function wholeNumber(text: string, least: number, name: string, display: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < least) {
    throw new InputError(`storage "${display}": ${name} must be ${least === 0 ? 'a whole number of seconds' : 'a positive integer'}`);
  }
  return n;
}

// int8 (COUNT(*), BIGINT millisecond times and seeds) arrives as a string by default; every one autotune stores fits
// a double exactly. Set per pool, not on pg's global types, so other users of `pg` in the process are unaffected.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A bounded pool. An idle client's error (the server restarting) must not crash the process, which an 'error'
 * event without a listener would: the pool drops that client, and the next query connects afresh (and retries).
 */
export function createPool(url: ParsedUrl): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url.connectionString,
    max: url.poolMax,
    connectionTimeoutMillis: url.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    // Idle connections must not keep a finished CLI (or a script that forgot close()) alive.
    allowExitOnIdle: true,
    application_name: 'autotune',
    types,
  });
  pool.on('error', () => {});
  return pool;
}

/**
 * A connection failure as one line naming the URL without its password. `timedOut`: it came after the connect
 * timeout, whose error pg words as a connection terminated (the pool's timer and the client's race).
 */
export function connectionError(display: string, error: unknown, timedOut = false): InputError {
  const e = error as { code?: string; message?: string };
  const reason =
    e.code === '28P01'
      ? 'password authentication failed'
      : e.code === '3D000'
        ? (e.message ?? 'database does not exist')
        : e.code === 'ECONNREFUSED'
          ? 'connection refused (is the server running and listening there?)'
          : e.code === 'ENOTFOUND'
            ? 'host not found'
            : timedOut || /^timeout exceeded|connection timeout/i.test(e.message ?? '')
              ? 'no answer within connect_timeout (is the host reachable?)'
              : /^Connection terminated/.test(e.message ?? '')
                ? 'the connection was closed before the server answered (is it a PostgreSQL server?)'
                : (e.message ?? String(error)).split('\n')[0];
  return new InputError(`cannot connect to PostgreSQL at ${display}: ${reason}`, { cause: error });
}
