import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { describeError } from '../core/errors.js';
import type { TrialOutcome, WorkerTask } from './protocol.js';
import type { RunHooks, Runner } from './runner.js';
import { TrialWatch } from './trial-watch.js';
import type { DecisionMessage, EpochMessage, PortedTask, ReportMessage } from './worker-port.js';
import type { WorkerResult } from './worker-result.js';

/** What a pool is created with. */
export interface PoolOptions {
  readonly threads: number;
  /** Heap limit of each thread (V8 old generation); a trial that exceeds it fails and its thread is replaced. */
  readonly memoryMb?: number;
  /** Trials a thread may run before it is replaced. */
  readonly maxTrialsPerThread?: number;
}

/**
 * Runs trials in a piscina pool of worker threads, one trial per thread at a time. Each trial gets a message
 * channel for its per-epoch reports (src/training/worker-port.ts). It runs trained models and objective modules
 * only: a function cannot cross threads, so its task type leaves function objectives out. A trial past its time
 * limit normally ends itself between batches; one that has not within the grace, or an aborted one, has its thread
 * terminated (piscina replaces it), which is the only way to stop a synchronous tfjs kernel and to give back a
 * grown WebAssembly memory.
 *
 * Threads are recycled so that memory leaked by trial code cannot pile up: once a thread has run
 * `maxTrialsPerThread` trials, or holds more than half its heap limit after a trial, new trials go to a fresh pool
 * and the old one is closed when its running trials end. piscina cannot retire one chosen thread safely (it may
 * hand that thread a task while it is being terminated), so the whole pool is swapped; threads run about the same
 * number of trials, so little is recycled early.
 *
 * @example const runner = new PiscinaRunner({ threads: 2 }); await runner.run(task, hooks); await runner.close();
 */
export class PiscinaRunner implements Runner<WorkerTask> {
  readonly name = 'piscina';
  private readonly memoryMb: number;
  private readonly maxTrialsPerThread: number;
  private pool: Piscina;
  private trialsByThread = new Map<number, number>();
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly options: PoolOptions) {
    this.memoryMb = options.memoryMb ?? 4096;
    this.maxTrialsPerThread = options.maxTrialsPerThread ?? 50;
    this.pool = this.createPool();
  }

  async run(task: WorkerTask, hooks: RunHooks): Promise<TrialOutcome> {
    const watch = new TrialWatch(hooks);
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (message: ReportMessage | EpochMessage) => {
      if (message.type === 'epoch') {
        watch.reporter.epoch?.(message.epoch, message.epochs);
        return;
      }
      void watch.reporter.report(message.step, message.metrics).then(
        (decision) => port1.postMessage({ type: 'decision', stop: decision.stop } satisfies DecisionMessage),
        () => port1.postMessage({ type: 'decision', stop: true } satisfies DecisionMessage),
      );
    });
    const pool = this.pool;
    const signal = watch.signal;
    try {
      const result = (await pool.run({ ...watch.withTimeLimit(task), port: port2 } satisfies PortedTask, {
        filename: workerFile(task.kind === 'train' ? 'train' : 'objective'),
        transferList: [port2],
        ...(signal ? { signal } : {}),
      })) as WorkerResult;
      this.afterTrial(pool, result);
      return result.outcome;
    } catch (error) {
      if (signal?.aborted) return { type: 'failed', reason: watch.reason() };
      if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return { type: 'failed', reason: `worker ran out of memory (limit ${this.memoryMb} MB)` };
      }
      return { type: 'failed', reason: `worker ended: ${describeError(error)}` };
    } finally {
      watch.dispose();
      port1.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.destroy(), ...this.retiring]);
  }

  private createPool(): Piscina {
    // No default file: each task names its own, so a pool running objective modules never imports TensorFlow.js.
    return new Piscina({
      minThreads: this.options.threads,
      maxThreads: this.options.threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
    });
  }

  private afterTrial(pool: Piscina, result: WorkerResult): void {
    if (pool !== this.pool) return;
    const trials = (this.trialsByThread.get(result.threadId) ?? 0) + 1;
    this.trialsByThread.set(result.threadId, trials);
    // The heap measured may hold garbage not yet collected: a needless recycle costs a thread start, a kept leak a crash.
    if (trials >= this.maxTrialsPerThread || result.heapUsedMb > this.memoryMb / 2) this.recycle();
  }

  private recycle(): void {
    const old = this.pool;
    this.pool = this.createPool();
    this.trialsByThread = new Map();
    const closing: Promise<void> = old
      .close()
      .catch(() => undefined)
      .finally(() => this.retiring.delete(closing));
    this.retiring.add(closing);
  }
}

/**
 * The compiled worker entry. Workers always run as JavaScript from `dist/`: from the built package this is a
 * sibling folder, and from TypeScript sources (tests) it is `dist/` at the package root.
 */
export function workerFile(name: 'train' | 'objective'): string {
  const candidates = [new URL(`../../workers/${name}.js`, import.meta.url), new URL(`../../dist/workers/${name}.js`, import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`worker file workers/${name}.js not found; run "npm run build" first`);
}
