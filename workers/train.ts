// piscina entry for model trials: adapts the message port to the trainer the inline runner also calls.
import type { TrainTask } from '../src/training/protocol.js';
import { trainTrial } from '../src/training/train-trial.js';
import { portReporter, type PortedTask } from '../src/training/worker-port.js';
import { workerResult, type WorkerResult } from '../src/training/worker-result.js';

export default async function train(task: PortedTask<TrainTask>): Promise<WorkerResult> {
  try {
    return workerResult(await trainTrial(task, portReporter(task.port)));
  } finally {
    task.port.close();
  }
}
