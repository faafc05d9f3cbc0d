import { autotune, type Storage } from '../../src/index.js';
import type { ObjectiveContext } from '../../src/training/objective.js';

/** The Hyperband settings of {@link runHyperbandStudy}: three brackets (minimum budgets 1, 3 and 9 epochs). */
export const HYPERBAND = { type: 'hyperband', minEpochs: 1, maxEpochs: 9, eta: 3 } as const;

/**
 * A real Hyperband search (random sampler, one trial at a time) over lr (log) and dropout: each trial reports
 * (log10 lr + 2.5)² + dropout + 1/epoch per epoch until the scheduler stops it, so brackets and rungs are what the
 * scheduler wrote, not a test's guess.
 */
export async function runHyperbandStudy(storage: Storage, fields: { name: string; trials: number; seed: number }) {
  const objective = async ({ lr, dropout }: { lr: number; dropout: number }, ctx: ObjectiveContext) => {
    let value = Number.NaN;
    for (let epoch = 1; epoch <= HYPERBAND.maxEpochs; epoch++) {
      value = (Math.log10(lr) + 2.5) ** 2 + dropout + 1 / epoch;
      await ctx.report(epoch, value);
      if (ctx.shouldStop()) break;
    }
    return value;
  };
  return autotune({
    name: fields.name,
    space: { lr: { float: [1e-4, 0.1], log: true }, dropout: { float: [0, 0.5] } },
    objective,
    trials: fields.trials,
    seed: fields.seed,
    scheduler: HYPERBAND,
    storage,
  });
}
