import type { FitResult } from './fit.js';

/** Fits folds 1..k−1 (fold 0 is the trial's own fit) and returns each one's best value of the objective metric. */
export async function otherFolds(folds: number, metric: string, fitFold: (fold: number) => Promise<FitResult>): Promise<number[]> {
  const scores: number[] = [];
  for (let fold = 1; fold < folds; fold++) scores.push((await fitFold(fold)).bestMetrics[metric] as number);
  return scores;
}

/** Mean and sample standard deviation of the folds' scores. */
export function foldSummary(scores: readonly number[]): { mean: number; std: number } {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const variance = scores.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, scores.length - 1);
  return { mean, std: Math.sqrt(variance) };
}
