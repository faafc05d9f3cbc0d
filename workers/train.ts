// piscina entry for model trials: adapts the message port to the trainer the inline runner also calls.
import { portReporter, type TrainTask } from '../src/training/protocol.js';
import { workerResult, type WorkerResult } from '../src/training/worker-result.js';
import { trainTrial } from '../src/training/train-trial.js';

export default async function train(task: TrainTask): Promise<WorkerResult> {
  if (!task.port) throw new Error('train task without a message port');
  try {
    return workerResult(await trainTrial(task, portReporter(task.port)));
  } finally {
    task.port.close();
  }
}
