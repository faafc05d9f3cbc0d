import type { SearchConfig, TrainingConfig } from '../space/schema.js';
import { AshaScheduler } from './asha.js';
import { FifoScheduler } from './fifo.js';
import { HyperbandScheduler } from './hyperband.js';
import { MedianScheduler } from './median.js';
import type { Scheduler } from './scheduler.js';

/**
 * The scheduler a study's `search` block names. ASHA and Hyperband count resources in steps (epochs); their
 * maximum defaults to `training.epochs`.
 */
export function createScheduler(search: SearchConfig, training: TrainingConfig): Scheduler {
  const config = typeof search.scheduler === 'string' ? { type: search.scheduler } : search.scheduler;
  switch (config.type) {
    case 'median': {
      const { type: _type, ...options } = config as { type: 'median' } & Record<string, number | undefined>;
      return new MedianScheduler(definedOnly(options));
    }
    case 'asha':
    case 'hyperband': {
      const c = config as { minEpochs?: number; maxEpochs?: number; eta?: number };
      const options = { minEpochs: c.minEpochs ?? 1, maxEpochs: c.maxEpochs ?? training.epochs, eta: c.eta ?? 3 };
      return config.type === 'asha' ? new AshaScheduler(options) : new HyperbandScheduler(options, search.seed);
    }
    default:
      return new FifoScheduler();
  }
}

function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
