/** The shell's convention for a process ended by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/** The signals a search listens to while it runs; `dispose` stops listening. */
export interface Interrupts {
  /** Aborted by the first Ctrl-C: no new trials. */
  readonly drain: AbortSignal;
  /** Aborted when the grace period ends: running trials are stopped. */
  readonly abort: AbortSignal;
  /** Whether a Ctrl-C (or SIGTERM) arrived. */
  interrupted(): boolean;
  dispose(): void;
}

/**
 * First Ctrl-C: no new trials, running ones get `graceSeconds`, then are stopped; a second exits at once (every
 * write is a transaction, so the database stays consistent).
 */
export function listenForInterrupts(graceSeconds: number): Interrupts {
  const drain = new AbortController();
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    console.error(`\nstopping: no new trials; running trials have ${graceSeconds} s to finish (Ctrl-C again to quit now)`);
    drain.abort();
    setTimeout(() => abort.abort(new Error('interrupted')), graceSeconds * 1000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    drain: drain.signal,
    abort: abort.signal,
    interrupted: () => interrupts > 0,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
