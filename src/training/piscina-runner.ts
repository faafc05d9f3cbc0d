import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { describeError } from '../core/errors.js';
import type { DecisionMessage, ReportMessage, TrialOutcome, TrialTask } from './protocol.js';
import { abortReason, trialSignal, type RunHooks, type Runner } from './runner.js';

/**
 * Runs trials in a piscina pool of worker threads, one trial per thread at a time. Each trial gets a message
 * channel for its per-epoch reports. A timeout or abort terminates the thread (piscina replaces it), which is the
 * only way to stop a synchronous tfjs kernel and to give back a grown WebAssembly memory.
 *
 * @example const runner = new PiscinaRunner({ threads: 2 }); await runner.run(task, hooks); await runner.close();
 */
export class PiscinaRunner implements Runner {
  readonly name = 'piscina';
  private readonly pool: Piscina;

  constructor(options: { threads: number; maxOldGenerationSizeMb?: number }) {
    this.pool = new Piscina({
      filename: workerFile('train'),
      minThreads: options.threads,
      maxThreads: options.threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 4096 },
    });
  }

  async run(task: TrialTask, hooks: RunHooks): Promise<TrialOutcome> {
    if (task.kind === 'function') {
      return { type: 'failed', reason: 'an inline objective function cannot run in a worker pool; use the inline runner' };
    }
    const signal = trialSignal(hooks);
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (message: ReportMessage) => {
      void hooks.onReport(message.step, message.metrics).then(
        (decision) => port1.postMessage({ type: 'decision', stop: decision.stop } satisfies DecisionMessage),
        () => port1.postMessage({ type: 'decision', stop: true } satisfies DecisionMessage),
      );
    });
    try {
      return (await this.pool.run(
        { ...task, port: port2 },
        { filename: workerFile(task.kind === 'train' ? 'train' : 'objective'), transferList: [port2], ...(signal ? { signal } : {}) },
      )) as TrialOutcome;
    } catch (error) {
      if (signal?.aborted) return { type: 'failed', reason: abortReason(signal, hooks) };
      return { type: 'failed', reason: `worker ended: ${describeError(error)}` };
    } finally {
      port1.close();
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/**
 * The compiled worker entry. Workers always run as JavaScript from `dist/`: from the built package this is a
 * sibling folder, and from TypeScript sources (tests) it is `dist/` at the package root.
 */
export function workerFile(name: 'train' | 'objective'): string {
  const candidates = [
    new URL(`../../workers/${name}.js`, import.meta.url),
    new URL(`../../dist/workers/${name}.js`, import.meta.url),
  ];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`worker file workers/${name}.js not found; run "npm run build" first`);
}
