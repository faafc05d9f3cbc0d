// The pool runner's transport: a message channel per trial between the controller thread and the worker thread.
// Only the pool runner and the worker entries (workers/*.ts) know it; the inline runner calls a Reporter directly.
import type { MessagePort } from 'node:worker_threads';
import type { Metrics } from '../core/types.js';
import type { Reporter, WorkerTask } from './protocol.js';

/** A task as the pool hands it to a worker thread: with the worker's end of this trial's message channel. */
export type PortedTask<T extends WorkerTask = WorkerTask> = T & { readonly port: MessagePort };

/** Worker → controller, once per step. */
export interface ReportMessage {
  readonly type: 'report';
  readonly step: number;
  readonly metrics: Metrics;
}

/** Worker → controller, as each epoch starts; not answered (it is what a timeout and the progress display name). */
export interface EpochMessage {
  readonly type: 'epoch';
  readonly epoch: number;
  readonly epochs: number;
}

/** Controller → worker, the answer to each report. */
export interface DecisionMessage {
  readonly type: 'decision';
  readonly stop: boolean;
}

/** A Reporter over a worker's message port: one report, one awaited decision. */
export function portReporter(port: MessagePort): Reporter {
  return {
    report(step, metrics) {
      return new Promise((resolve) => {
        port.once('message', (message: DecisionMessage) => resolve({ stop: message.stop }));
        port.postMessage({ type: 'report', step, metrics } satisfies ReportMessage);
      });
    },
    epoch(epoch, epochs) {
      port.postMessage({ type: 'epoch', epoch, epochs } satisfies EpochMessage);
    },
  };
}
