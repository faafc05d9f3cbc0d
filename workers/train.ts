// piscina entry for model trials: adapts the message port to the trainer the inline runner also calls.
import { portReporter, type TrainTask, type TrialOutcome } from '../src/training/protocol.js';
import { trainTrial } from '../src/training/train-trial.js';

export default async function train(task: TrainTask): Promise<TrialOutcome> {
  if (!task.port) throw new Error('train task without a message port');
  try {
    return await trainTrial(task, portReporter(task.port));
  } finally {
    task.port.close();
  }
}
