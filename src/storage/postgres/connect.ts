import pg from 'pg';
import { InputError } from '../../core/errors.js';

/** How a PostgresStorage connects; the URL's `pool_max` and `connect_timeout` (seconds) override the defaults. */
export interface PostgresOptions {
  /**
   * Connections this process may hold (default 4). Every process of a study holds up to this many, so keep
   * processes × poolMax below the server's `max_connections` (100 by default, a few reserved for superusers).
   */
  readonly poolMax?: number;
  /** How long to wait for a connection before giving up (default 10 s), so an unreachable host fails in bounded time. */
  readonly connectTimeoutMs?: number;
}

export interface ParsedUrl {
  /** What is passed to `pg`: the URL without autotune's own parameters. */
  readonly connectionString: string;
  /** The URL to show: the password replaced by `***`. */
  readonly display: string;
  readonly poolMax: number;
  readonly connectTimeoutMs: number;
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
  parsed.searchParams.delete('pool_max');
  parsed.searchParams.delete('connect_timeout');
  return { connectionString: parsed.toString(), display, poolMax, connectTimeoutMs };
}

function positiveInt(text: string | null, fallback: number, name: string, display: string): number {
  if (text === null) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError(`storage "${display}": ${name} must be a positive integer`);
  return n;
}

// int8 (COUNT(*), BIGINT millisecond times and seeds) arrives as a string by default; every one autotune stores fits
// a double exactly. Set per pool, not on pg's global types, so other users of `pg` in the process are unaffected.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A bounded pool; idle-client errors (a server restart) are left to the next query, which reports them. */
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

/** A connection failure as one line naming the URL without its password. */
export function connectionError(display: string, error: unknown): InputError {
  const e = error as { code?: string; message?: string };
  const reason =
    e.code === '28P01' ? 'password authentication failed'
    : e.code === '3D000' ? (e.message ?? 'database does not exist')
    : e.code === 'ECONNREFUSED' ? 'connection refused (is the server running and listening there?)'
    : e.code === 'ENOTFOUND' ? 'host not found'
    : (e.message ?? String(error)).split('\n')[0];
  return new InputError(`cannot connect to PostgreSQL at ${display}: ${reason}`, { cause: error });
}
