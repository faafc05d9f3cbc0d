import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { memberPredictions, predictionsOf } from './combine.js';
import { fitLogistic, fitRidgeRegression, linearOutputs, softmaxRows, type Design } from './linear.js';
import { isBetter } from '../core/rank.js';
import { rankCandidates, scorePredictions } from './score.js';
import type { Candidate, EnsembleProblem, StackedEnsemble } from './types.js';

// Log-probabilities make the logistic meta-model a weighted geometric mean of the members (a product of experts);
// the floor keeps a member's confident mistake from becoming an unbounded feature.
const PROBABILITY_FLOOR = 1e-4;

export interface StackingOptions {
  /** Members: the best `topK` candidates by their own validation score (default 10). */
  readonly topK?: number;
  /** Cross-validation folds over the validation rows (default 5). */
  readonly folds?: number;
  /** L2 strengths tried; the best cross-validated one is refitted on all rows (default 0.001, 0.01, 0.1, 1). */
  readonly lambdas?: readonly number[];
  readonly seed?: number;
  /** Gradient steps for the logistic meta-model (default 300). */
  readonly iterations?: number;
}

/**
 * Stacking (Wolpert 1992): a linear meta-model learns how to combine the members' validation predictions —
 * multinomial logistic regression for classification, ridge for regression. The meta-model is itself fitted on
 * validation rows, so its score is measured out-of-fold by k-fold cross-validation (the in-sample score would
 * flatter it), and that CV score also picks the L2 strength; ties go to the stronger penalty.
 *
 * @example stacking(candidates, problem, { seed: 42 }).validationScore // cross-validated
 */
export function stacking(candidates: readonly Candidate[], problem: EnsembleProblem, options: StackingOptions = {}): StackedEnsemble {
  const members = rankCandidates(candidates, problem)
    .slice(0, options.topK ?? 10)
    .map((r) => r.candidate.id)
    .sort((a, b) => a - b);
  if (members.length === 0) throw new InputError('ensemble: no candidates');
  const rows = problem.targets.length;
  const folds = Math.min(options.folds ?? 5, rows);
  if (folds < 2) throw new InputError(`ensemble: stacking needs at least 2 folds (got ${folds})`);
  const lambdas = [...(options.lambdas ?? [0.001, 0.01, 0.1, 1])].sort((a, b) => b - a);
  const design = features(members, predictionsOf(candidates, 'validation'), problem);
  const fold = foldOf(rows, folds, options.seed ?? 0);

  let best: { lambda: number; score: number } | undefined;
  for (const lambda of lambdas) {
    const outOfFold = new Float32Array(rows * outputsOf(problem));
    for (let k = 0; k < folds; k++) {
      const train = rowsWhere(fold, (f) => f !== k);
      const held = rowsWhere(fold, (f) => f === k);
      const coefficients = fit(
        subset(design, train),
        train.map((r) => problem.targets[r] as number),
        problem,
        lambda,
        options.iterations,
      );
      const predicted = apply(subset(design, held), coefficients, problem);
      const width = outputsOf(problem);
      held.forEach((r, i) => outOfFold.set(predicted.subarray(i * width, (i + 1) * width), r * width));
    }
    const score = scorePredictions(outOfFold, problem);
    if (!best || isBetter(problem.direction, score, best.score)) best = { lambda, score };
  }
  const chosen = best as { lambda: number; score: number };
  const coefficients = fit(design, Array.from(problem.targets), problem, chosen.lambda, options.iterations);
  return {
    method: 'stacking',
    model: problem.task === 'classification' ? 'logistic' : 'ridge',
    members,
    lambda: chosen.lambda,
    coefficients: Array.from(coefficients),
    validationScore: chosen.score,
  };
}

/** The stacked meta-model's predictions for any split. */
export function stackedPredict(
  ensemble: StackedEnsemble,
  predictions: ReadonlyMap<number, Float32Array>,
  problem: Pick<EnsembleProblem, 'task' | 'classes'>,
): Float32Array {
  return apply(features(ensemble.members, predictions, problem), ensemble.coefficients, problem);
}

function outputsOf(problem: Pick<EnsembleProblem, 'task' | 'classes'>): number {
  return problem.task === 'classification' ? problem.classes : 1;
}

function features(
  members: readonly number[],
  predictions: ReadonlyMap<number, Float32Array>,
  problem: Pick<EnsembleProblem, 'task' | 'classes'>,
): Design {
  const width = outputsOf(problem);
  const columns = members.map((id) => memberPredictions(predictions, id));
  const rows = (columns[0] as Float32Array).length / width;
  const count = members.length * width;
  const x = new Float64Array(rows * count);
  columns.forEach((values, m) => {
    if (values.length !== rows * width)
      throw new InputError(`ensemble: member ${members[m]} has ${values.length} values, expected ${rows * width}`);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < width; c++) {
        const value = values[r * width + c] as number;
        x[r * count + m * width + c] = problem.task === 'classification' ? Math.log(Math.max(PROBABILITY_FLOOR, value)) : value;
      }
    }
  });
  return { x, rows, features: count };
}

function fit(design: Design, targets: number[], problem: EnsembleProblem, lambda: number, iterations?: number): Float64Array {
  return problem.task === 'classification'
    ? fitLogistic(design, targets, problem.classes, lambda, iterations)
    : fitRidgeRegression(design, targets, lambda);
}

function apply(
  design: Design,
  coefficients: readonly number[] | Float64Array,
  problem: Pick<EnsembleProblem, 'task' | 'classes'>,
): Float32Array {
  const outputs = linearOutputs(design, coefficients, outputsOf(problem));
  return Float32Array.from(problem.task === 'classification' ? softmaxRows(outputs, problem.classes) : outputs);
}

/** A seeded, balanced fold number for each row. */
function foldOf(rows: number, folds: number, seed: number): number[] {
  const order = new Rng(seed).fork('stacking-folds').shuffle(Array.from({ length: rows }, (_, i) => i));
  const fold = new Array<number>(rows);
  order.forEach((row, i) => (fold[row] = i % folds));
  return fold;
}

function rowsWhere(fold: readonly number[], keep: (f: number) => boolean): number[] {
  return fold.flatMap((f, r) => (keep(f) ? [r] : []));
}

function subset(design: Design, rows: readonly number[]): Design {
  const x = new Float64Array(rows.length * design.features);
  rows.forEach((r, i) => x.set(design.x.subarray(r * design.features, (r + 1) * design.features), i * design.features));
  return { x, rows: rows.length, features: design.features };
}
