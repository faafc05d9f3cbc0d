import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';
import type { TrialOutcome } from './protocol.js';

/** What a pool worker returns: the outcome, and what the pool needs to decide whether to replace the thread. */
export interface WorkerResult {
  readonly outcome: TrialOutcome;
  readonly threadId: number;
  /** The thread's heap in use after the trial: what trial code left behind (in a worker, V8 reports its own isolate). */
  readonly heapUsedMb: number;
}

export function workerResult(outcome: TrialOutcome): WorkerResult {
  return { outcome, threadId, heapUsedMb: getHeapStatistics().used_heap_size / 2 ** 20 };
}
