export type { Scheduler, Decision, SchedulerContext, StepHistory } from './scheduler.js';
export { CONTINUE, MAX_STEP, finalStepOf } from './scheduler.js';
export { FifoScheduler } from './fifo.js';
export { MedianScheduler, MEDIAN_DEFAULTS, type MedianOptions } from './median.js';
export { AshaScheduler, type AshaOptions } from './asha.js';
export { HyperbandScheduler } from './hyperband.js';
export { createScheduler } from './create.js';
export * from './rungs.js';
