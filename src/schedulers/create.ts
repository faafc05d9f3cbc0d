import type { SearchConfig } from '../space/schema.js';
import { FifoScheduler } from './fifo.js';
import type { Scheduler } from './scheduler.js';

/** The scheduler a study's `search` block names. */
export function createScheduler(search: SearchConfig): Scheduler {
  const type = typeof search.scheduler === 'string' ? search.scheduler : search.scheduler.type;
  switch (type) {
    case 'fifo':
      return new FifoScheduler();
  }
}
