/** How the learning rate changes over epochs. */
export type Schedule =
  | { readonly type: 'constant' }
  | { readonly type: 'step'; readonly every: number; readonly factor: number }
  | { readonly type: 'cosine'; readonly minFactor: number };

/**
 * The learning rate of epoch `epoch` (1-based): the schedule's value, ramped linearly from base/warmup over the
 * first `warmupEpochs` epochs.
 *
 * @example learningRateAt(5, 0.1, { type: 'step', every: 2, factor: 0.5 }, 10, 0) // 0.025
 */
export function learningRateAt(epoch: number, base: number, schedule: Schedule, epochs: number, warmupEpochs: number): number {
  const progress = (epoch - 1) / Math.max(1, epochs - 1);
  let rate = base;
  if (schedule.type === 'step') rate = base * schedule.factor ** Math.floor((epoch - 1) / schedule.every);
  if (schedule.type === 'cosine') rate = base * (schedule.minFactor + (1 - schedule.minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  if (warmupEpochs > 0 && epoch <= warmupEpochs) rate *= epoch / (warmupEpochs + 1);
  return rate;
}

/** Sets an optimizer's learning rate between steps (tfjs optimizers keep it in a field; SGD caches −lr too). */
export function setLearningRate(optimizer: object, rate: number): void {
  const o = optimizer as { learningRate?: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else o.learningRate = rate;
}
