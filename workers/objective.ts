// piscina entry for user objective modules: adapts the message port to the same runner the inline runner uses.
import { runModuleTask } from '../src/training/objective.js';
import type { ModuleTask } from '../src/training/protocol.js';
import { portReporter, type PortedTask } from '../src/training/worker-port.js';
import { workerResult, type WorkerResult } from '../src/training/worker-result.js';

export default async function objective(task: PortedTask<ModuleTask>): Promise<WorkerResult> {
  try {
    return workerResult(await runModuleTask(task, portReporter(task.port), 'worker'));
  } finally {
    task.port.close();
  }
}
