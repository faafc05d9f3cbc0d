import { trialFilesDir } from '../artifacts/stores.js';
import { readTrialPredictions, type SplitPredictions } from '../artifacts/trial-artifacts.js';
import { InputError } from '../core/errors.js';
import { isBetter, rankCompleted } from '../core/rank.js';
import type { Direction, TrialRecord } from '../core/types.js';
import type { EnsembleConfig } from '../space/schema.js';
import type { Storage } from '../storage/storage.js';
import { averageTopN } from './average.js';
import { scoreEnsemble } from './evaluate.js';
import { greedySelection } from './greedy.js';
import { rankCandidates } from './score.js';
import { stacking } from './stacking.js';
import type { Candidate, Ensemble, EnsembleProblem } from './types.js';
import { majorityVote } from './vote.js';

/** An ensemble as stored with its study (system attribute `ensemble`) and shown by `autotune show`. */
export interface StoredEnsemble {
  readonly method: Ensemble['method'];
  /** Trial numbers and weights (weights sum to 1; stacking and vote list members with equal weights). */
  readonly members: readonly { readonly trial: number; readonly weight: number }[];
  readonly metric: string;
  readonly direction: Direction;
  readonly validationScore: number;
  readonly testScore: number | null;
  readonly bestSingle: { readonly trial: number; readonly validationScore: number; readonly testScore: number | null };
  /** Positive when the ensemble beats the best single trial on the test split. */
  readonly testGain: number | null;
  readonly candidates: number;
  /**
   * Set when the method's ensemble scored worse on validation than the best single trial, which then stands in its
   * place (`members` is that trial alone): what the method would have given.
   */
  readonly replaced?: { readonly method: Ensemble['method']; readonly validationScore: number };
  readonly createdAt: string;
  /** The full result of the method (stacking coefficients, the greedy path). */
  readonly detail: Ensemble;
}

/**
 * Builds the study's ensemble from the stored predictions of its best `topK` completed trials. Only trials
 * scored on the same validation rows as the best one are candidates (a searched de-duplication setting can
 * change the rows). The test split is scored once, after selection, and only for the report.
 *
 * @example const ensemble = await buildStudyEnsemble(storage, study.id, { method: 'greedy', size: 25, topK: 20, initSize: 1 });
 */
export async function buildStudyEnsemble(
  storage: Storage,
  studyId: number,
  objective: { metric: string; direction: Direction },
  options: EnsembleConfig,
): Promise<StoredEnsemble> {
  const study = await storage.getStudy(studyId);
  if (!(study.config as { data?: unknown } | null)?.data) {
    throw new InputError(
      `study "${study.name}" optimizes an objective function: it trained no models, so there are no predictions to ensemble`,
    );
  }
  const ranked = rankCompleted(await storage.listTrials(studyId), objective.direction);
  const loaded: { trial: TrialRecord; predictions: SplitPredictions }[] = [];
  for (const trial of ranked) {
    if (loaded.length >= options.topK) break;
    const dir = await trialFilesDir(storage, trial);
    if (dir) loaded.push({ trial, predictions: readTrialPredictions(dir) });
  }
  const reference = loaded[0]?.predictions;
  if (!reference) {
    throw new InputError(
      `study "${study.name}": no completed trial has saved predictions (training.keepArtifacts is 0, or the artifacts were deleted)`,
    );
  }
  const usable = loaded.filter(({ predictions }) => sameRows(predictions, reference));
  const candidates: Candidate[] = usable.map(({ trial, predictions }) => ({
    id: trial.number,
    validation: predictions.validation,
    test: predictions.test,
  }));
  const problem: EnsembleProblem = {
    task: reference.width > 1 ? 'classification' : 'regression',
    classes: reference.width,
    targets: reference.validationTargets,
    metric: objective.metric,
    direction: objective.direction,
  };
  const selected = select(candidates, problem, options);
  const ensemble = atLeastBestSingle(selected, candidates, problem);
  const report = scoreEnsemble(ensemble, candidates, problem, reference.testTargets.length > 0 ? reference.testTargets : undefined);
  const weights = 'weights' in ensemble ? ensemble.weights : ensemble.members.map(() => 1 / ensemble.members.length);
  return {
    method: ensemble.method,
    members: ensemble.members.map((trial, i) => ({ trial, weight: weights[i] as number })),
    metric: objective.metric,
    direction: objective.direction,
    validationScore: report.validationScore,
    testScore: report.testScore,
    bestSingle: { trial: report.bestSingle.id, validationScore: report.bestSingle.validationScore, testScore: report.bestSingle.testScore },
    testGain: report.testGain,
    candidates: candidates.length,
    ...(ensemble === selected ? {} : { replaced: { method: selected.method, validationScore: selected.validationScore } }),
    createdAt: new Date().toISOString(),
    detail: ensemble,
  };
}

/**
 * The rule that a study never hands back less than its best single trial on validation (and so, since baselines are
 * trials ranked by the same rule, never less than its best baseline): an ensemble that scores worse there than the
 * best candidate alone is replaced by that candidate, as a one-member average. Greedy selection starting from the
 * best never is; a plain average, a vote or stacking (scored out of fold) can be.
 */
export function atLeastBestSingle(ensemble: Ensemble, candidates: readonly Candidate[], problem: EnsembleProblem): Ensemble {
  const best = rankCandidates(candidates, problem)[0];
  if (!best || !isBetter(problem.direction, best.score, ensemble.validationScore)) return ensemble;
  return { method: 'average', members: [best.candidate.id], weights: [1], validationScore: best.score };
}

function select(candidates: readonly Candidate[], problem: EnsembleProblem, options: EnsembleConfig): Ensemble {
  switch (options.method) {
    case 'average':
      return averageTopN(candidates, problem, Math.min(options.size, candidates.length));
    case 'vote':
      if (problem.task !== 'classification') throw new InputError('ensemble.method: "vote" needs a classification study');
      return majorityVote(candidates, problem, { n: Math.min(options.size, candidates.length) });
    case 'stacking':
      return stacking(candidates, problem, { topK: options.topK });
    default:
      return greedySelection(candidates, problem, {
        size: options.size,
        initSize: Math.min(options.initSize, candidates.length),
        topK: options.topK,
      });
  }
}

function sameRows(a: SplitPredictions, b: SplitPredictions): boolean {
  if (a.width !== b.width || a.validationTargets.length !== b.validationTargets.length || a.testTargets.length !== b.testTargets.length)
    return false;
  return a.validationTargets.every((v, i) => v === b.validationTargets[i]) && a.testTargets.every((v, i) => v === b.testTargets[i]);
}
