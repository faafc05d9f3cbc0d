import { InputError } from '../core/errors.js';
import { isBetter } from '../core/rank.js';
import { rankCandidates, scorePredictions } from './score.js';
import type { Candidate, EnsembleProblem, GreedyEnsemble } from './types.js';

export interface GreedyOptions {
  /** Members in the bag when selection ends, the initial ones included (default 25). */
  readonly size?: number;
  /** The bag starts with this many best single candidates, once each (default 1). */
  readonly initSize?: number;
  /** Only the best `topK` candidates by their own validation score take part (default all). */
  readonly topK?: number;
}

/**
 * Ensemble selection (Caruana, Niculescu-Mizil, Crew & Ksikes, ICML 2004): hill-climb the validation score of the
 * averaged predictions by adding, one at a time and with replacement, whichever candidate improves it most.
 *
 * Selecting on the same validation rows that score the result overfits them, most when candidates are many and
 * rows few; Caruana's remedies are used here. Starting from the best `initSize` models keeps the first greedy
 * steps from chasing noise; replacement lets a strong model be re-added (raising its weight) instead of forcing
 * in a weaker one, so the score cannot be made worse by running longer; and the bag returned is the best prefix
 * of the path (the shortest among equals). `topK` prunes hopeless candidates, which also narrows the search.
 * A coarse metric such as accuracy ties on most additions and would stop selection at the single best model, so
 * equal scores are ranked by the validation loss (log loss, or MSE for regression), which still moves. Remaining
 * ties go to the lower trial id, so the same inputs always give the same ensemble.
 *
 * @example greedySelection(candidates, problem, { size: 25, initSize: 1 }).weights
 */
export function greedySelection(candidates: readonly Candidate[], problem: EnsembleProblem, options: GreedyOptions = {}): GreedyEnsemble {
  const size = options.size ?? 25;
  const initSize = options.initSize ?? 1;
  if (candidates.length === 0) throw new InputError('ensemble: no candidates');
  if (!Number.isInteger(size) || !Number.isInteger(initSize) || initSize < 1 || size < initSize) {
    throw new InputError(`ensemble: need integers 1 ≤ initSize ≤ size (got initSize ${initSize}, size ${size})`);
  }
  const ranked = rankCandidates(candidates, problem).slice(0, options.topK ?? candidates.length);
  // Scanned in id order with a strict comparison, so an exact tie keeps the lower id.
  const pool = ranked.map((r) => r.candidate).sort((a, b) => a.id - b.id);

  const sum = new Float64Array(problem.targets.length * (problem.task === 'classification' ? problem.classes : 1));
  const bag: number[] = [];
  const add = (candidate: Candidate) => {
    for (let i = 0; i < sum.length; i++) sum[i]! += candidate.validation[i] as number;
    bag.push(candidate.id);
  };
  const lossProblem: EnsembleProblem = { ...problem, metric: 'val_loss', direction: 'minimize' };
  const scoreWith = (extra: Candidate | null): Score => {
    const n = bag.length + (extra ? 1 : 0);
    const mean = new Float32Array(sum.length);
    for (let i = 0; i < sum.length; i++) mean[i] = ((sum[i] as number) + (extra ? (extra.validation[i] as number) : 0)) / n;
    return { value: scorePredictions(mean, problem), loss: scorePredictions(mean, lossProblem) };
  };
  const better = (a: Score, b: Score) =>
    isBetter(problem.direction, a.value, b.value) || (a.value === b.value && isBetter('minimize', a.loss, b.loss));

  for (const { candidate } of ranked.slice(0, initSize)) add(candidate);
  const initial = bag.length; // fewer than initSize when topK is smaller
  const history: Score[] = [scoreWith(null)];
  while (bag.length < size) {
    let choice: Candidate | undefined;
    let choiceScore: Score = { value: Number.NaN, loss: Number.NaN };
    for (const candidate of pool) {
      const score = scoreWith(candidate);
      if (choice === undefined || better(score, choiceScore)) {
        choice = candidate;
        choiceScore = score;
      }
    }
    add(choice as Candidate);
    history.push(choiceScore);
  }

  let best = 0;
  for (let i = 1; i < history.length; i++) if (better(history[i] as Score, history[best] as Score)) best = i;
  const kept = bag.slice(0, initial + best);
  const counts = new Map<number, number>();
  for (const id of kept) counts.set(id, (counts.get(id) ?? 0) + 1);
  const members = [...counts.keys()].sort((a, b) => a - b);
  return {
    method: 'greedy',
    members,
    weights: members.map((id) => (counts.get(id) as number) / kept.length),
    validationScore: (history[best] as Score).value,
    history: history.map((h) => h.value),
  };
}

/** The metric being optimized, and the validation loss that ranks equal values of it. */
interface Score {
  readonly value: number;
  readonly loss: number;
}
