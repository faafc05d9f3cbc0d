// piscina entry for user objective modules: adapts the message port to the same runner the inline runner uses.
import { runModuleTask } from '../src/training/objective.js';
import { portReporter, type ModuleTask } from '../src/training/protocol.js';
import { workerResult, type WorkerResult } from '../src/training/worker-result.js';

export default async function objective(task: ModuleTask): Promise<WorkerResult> {
  if (!task.port) throw new Error('objective task without a message port');
  try {
    return workerResult(await runModuleTask(task, portReporter(task.port), 'worker'));
  } finally {
    task.port.close();
  }
}
