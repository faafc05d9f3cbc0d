// piscina entry for user objective modules: adapts the message port to the same runner the inline runner uses.
import { runModuleTask } from '../src/training/objective.js';
import { portReporter, type ModuleTask, type TrialOutcome } from '../src/training/protocol.js';

export default async function objective(task: ModuleTask): Promise<TrialOutcome> {
  if (!task.port) throw new Error('objective task without a message port');
  try {
    return await runModuleTask(task, portReporter(task.port), 'worker');
  } finally {
    task.port.close();
  }
}
