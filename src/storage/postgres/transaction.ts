import type pg from 'pg';

/** Sends one simple query and returns its results, one per statement. */
export type Send = <Rows extends unknown[]>(sql: string) => Promise<{ [K in keyof Rows]: pg.QueryResult<Rows[K] & pg.QueryResultRow> }>;

/**
 * A transaction in few round trips: `body` sends simple (multi-statement) queries on one client of the pool,
 * BEGIN … COMMIT included. Simple queries take no parameters, so ids must be checked integers and every text must
 * go through `literal` (escapeLiteral). An error inside such a query skips the rest of it (its COMMIT too), so
 * whatever `body` throws rolls back. Errors of the database pass through `translate`; what `body` itself throws
 * (a sampler's bug in `build`) passes through unchanged.
 */
export async function onOneClient<T>(
  pool: pg.Pool,
  translate: (error: unknown) => unknown,
  body: (send: Send, literal: (text: string) => string) => Promise<T>,
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => Promise.reject(translate(error)));
  // The pool listens for errors only while a client is idle: one that loses its server between two of our queries
  // would otherwise emit an 'error' nobody hears and crash the process. The next query reports the failure.
  client.on('error', ignore);
  const send = async (sql: string) => {
    const result = await client.query(sql).catch((error: unknown) => Promise.reject(translate(error)));
    return (Array.isArray(result) ? result : [result]) as never;
  };
  let broken = false;
  try {
    return await body(send, (text) => client.escapeLiteral(text));
  } catch (error) {
    // Harmless (a warning) when no transaction is open.
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    // A client whose ROLLBACK failed may be mid-transaction: destroy it rather than hand it to the next caller.
    client.off('error', ignore);
    client.release(broken);
  }
}

function ignore(): void {}
