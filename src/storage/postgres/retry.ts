import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a PostgresStorage keeps retrying an operation that failed because the connection did (a server restart,
 * a failover, a dropped network), and how the waits between attempts grow.
 */
export interface RetryPolicy {
  /** Give up once this long has passed since the first attempt; 0 never retries. */
  readonly forMs: number;
  /** The first wait; each next one doubles, up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** The clock the bound is measured on and the waits are slept on; real time unless a test gives its own. */
  readonly clock?: RetryClock;
}

/** Time as retries see it: what `now` reads (ms), how a wait is slept, and the jitter's random draw in [0, 1). */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

const REAL_TIME: RetryClock = { now: () => performance.now(), sleep: (ms) => sleep(ms), random: Math.random };

export const DEFAULT_RETRY: RetryPolicy = { forMs: 60_000, initialDelayMs: 50, maxDelayMs: 2_000 };

// Socket errors of a server that went away or is not back yet.
const TRANSIENT_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// SQLSTATE: class 08 (connection exception), the server shutting down (57P01 admin, 57P02 crash) or starting up
// (57P03, also sent while it shuts down).
const TRANSIENT_SQLSTATE = /^(08...|57P0[123])$/;
// pg's own errors when a socket closes under it, or when the pool cannot connect within connectionTimeoutMillis.
const TRANSIENT_MESSAGE = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * Whether an error means the connection failed rather than the statement: a wrong statement, a constraint or a
 * missing row fails again however often it is sent. Wrapped errors (a StorageError's cause) are looked through.
 */
export function isConnectionFailure(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (TRANSIENT_SOCKET.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && TRANSIENT_MESSAGE.test(message)) return true;
  }
  return false;
}

/**
 * Runs `attempt` until it succeeds, fails for another reason than the connection, or `policy.forMs` has passed;
 * then the last error is thrown. `attempt` gets how many attempts came before it, so that a write can tell a repeat
 * (whose first try may have committed, its acknowledgement lost) from a first try. Waits are jittered (50-100 %
 * of the step) so processes that lost the server together do not all come back in the same millisecond.
 */
export async function retryConnectionFailures<T>(policy: RetryPolicy, attempt: (previous: number) => Promise<T>): Promise<T> {
  const clock = policy.clock ?? REAL_TIME;
  const started = clock.now();
  for (let previous = 0; ; previous++) {
    try {
      return await attempt(previous);
    } catch (error) {
      const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** previous);
      const wait = step * (0.5 + clock.random() / 2);
      if (!isConnectionFailure(error) || clock.now() - started + wait > policy.forMs) throw error;
      await clock.sleep(wait);
    }
  }
}
