export type { Scheduler, Decision } from './scheduler.js';
export { CONTINUE } from './scheduler.js';
export { FifoScheduler } from './fifo.js';
export { createScheduler } from './create.js';
