// Ensembles built from finished trials' stored predictions: pure functions of predictions and targets, so the
// same code can run after a study, in a worker or in a test.
export type { Candidate, EnsembleProblem, Ensemble, WeightedEnsemble, GreedyEnsemble, VoteEnsemble, StackedEnsemble } from './types.js';
export { metricKey, scorePredictions, rankCandidates } from './score.js';
export { combine, predictionsOf } from './combine.js';
export { greedySelection, type GreedyOptions } from './greedy.js';
export { averageTopN } from './average.js';
export { majorityVote, vote } from './vote.js';
export { stacking, stackedPredict, type StackingOptions } from './stacking.js';
export { predictEnsemble, scoreEnsemble, type EnsembleReport } from './evaluate.js';
