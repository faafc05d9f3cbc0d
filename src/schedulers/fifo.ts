import { CONTINUE, type Decision, type Scheduler } from './scheduler.js';

/** Runs every trial to the end: no early stopping. */
export class FifoScheduler implements Scheduler {
  readonly name = 'fifo';

  onReport(): Decision {
    return CONTINUE;
  }
}
