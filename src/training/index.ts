export type { TrialTask, TrainTask, ModuleTask, FunctionTask, WorkerTask, TrialOutcome, Reporter } from './protocol.js';
export type { Runner, RunHooks } from './runner.js';
export { PiscinaRunner } from './piscina-runner.js';
export { InlineRunner } from './inline-runner.js';
export type { ObjectiveFunction, ObjectiveContext } from './objective.js';
export type { CustomLoss } from './loss-module.js';
export { ensureBackend, type BackendName, type BackendPreference } from './backend.js';
