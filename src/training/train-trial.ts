import type { LayersModel } from '@tensorflow/tfjs';
import { describeError, TrialFailedError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { loadDataset } from '../data/cache.js';
import { dataForTrial } from '../data/overrides.js';
import type { PreparedDataset, SplitData } from '../data/prepared-dataset.js';
import { estimateParameters } from '../models/estimate.js';
import { buildModel, modelOutputOf } from '../models/index.js';
import { isClosedForm } from '../models/model-specs.js';
import { readHyperparameters } from './hyperparameters.js';
import { buildOptimizer, disposeOptimizer } from './optimizers.js';
import { modelInputOf } from './model-input.js';
import { ensureBackend, tf, type BackendName } from './backend.js';
import { evaluate, fitModel, forecast, predict, type FitResult } from './fit.js';
import { writeTrialArtifacts, type SplitPredictions } from '../artifacts/trial-artifacts.js';
import { fittedPreprocessing, toTargetUnits } from '../data/fitted-preprocessing.js';
import type { DataConfig } from '../space/schema.js';
import { confusionMatrix, prefixed } from './metrics.js';
import type { Reporter, TrainTask, TrialOutcome } from './protocol.js';
import type { TrainerFindings } from '../core/annotations.js';
import { checkedLoss, loadLossModule } from './loss-module.js';
import { closedFormFit } from './closed-form.js';
import { withSeededMathRandom } from './seeded-math-random.js';
import { foldSummary, otherFolds } from './folds.js';
import { backtestSummary } from './backtests.js';

/**
 * Trains one model for one trial: the same function whether it runs in a pool worker or in-process. Never throws:
 * every failure comes back as a `failed` outcome with its reason and the backend it ran on.
 *
 * @example const outcome = await trainTrial(task, reporter); // { type: 'complete', value: 0.97, ... }
 */
export async function trainTrial(task: TrainTask, reporter: Reporter): Promise<TrialOutcome> {
  let backend: BackendName | undefined;
  const started = performance.now();
  try {
    backend = await ensureBackend(task.training.backend);
    const { model: spec, fit, architecture } = readHyperparameters(task.params, task.training.epochs);
    const trialData = dataForTrial(task.data, architecture, spec.type);
    // With k-fold cross-validation the trial trains fold 0 in view of the scheduler (it reports every epoch and may
    // be pruned), then the other folds silently; its value is the mean over folds, its model fold 0's.
    const folds = trialData.split.folds;
    const dataset = loadDataset(trialData, task.dataSeed, folds ? 0 : undefined);
    const lossModule = task.training.lossModule;
    const customLoss =
      fit.loss === 'custom' && lossModule && !isClosedForm(spec)
        ? checkedLoss(tf, lossModule, await loadLossModule(lossModule))
        : undefined;
    const rng = new Rng(task.seed);
    const output = modelOutputOf(dataset);
    const input = modelInputOf(dataset);
    const estimate = estimateParameters(spec, input, output);
    if (estimate > task.training.maxParameters) {
      throw new TrialFailedError(
        `the model would have ${estimate} parameters, over training.maxParameters = ${task.training.maxParameters}`,
      );
    }
    const seriesPeriod = trialData.input.kind === 'series' ? trialData.input.period : undefined;
    // One model fitted on one split; cross-validation calls it once per fold, each with its own seeded streams.
    const fitOn = async (data: PreparedDataset, to: Reporter, stream: string) => {
      const model = buildModel(tf, spec, input, output, rng.fork(`init${stream}`));
      let optimizer: ReturnType<typeof buildOptimizer> | undefined;
      const dispose = () => {
        if (optimizer) disposeOptimizer(optimizer);
        model.dispose();
      };
      try {
        const result: FitResult & { readonly chosen?: Record<string, number> } = isClosedForm(spec)
          ? await closedFormFit(tf, model, spec, data, { metric: task.objective.metric, reporter: to, seriesPeriod })
          : await withSeededMathRandom(rng.fork(`math-random${stream}`), () => {
              optimizer = buildOptimizer(tf, fit);
              return fitModel(tf, model, optimizer, data, {
                fit,
                objective: task.objective,
                rng: rng.fork(`shuffle${stream}`),
                reporter: to,
                customLoss,
                timeLimit: task.timeLimit,
              });
            });
        return { model, result, dispose };
      } catch (error) {
        dispose();
        throw error;
      }
    };
    const { model, result, dispose } = await fitOn(dataset, reporter, '');
    try {
      const metrics: Record<string, number> = {
        ...result.bestMetrics,
        ...result.chosen,
        ...prefixed('test_', evaluate(tf, model, dataset, dataset.test)),
        best_epoch: result.bestEpoch,
        epochs_trained: result.epochsTrained,
        parameters: model.countParams(),
      };
      let value = result.bestMetrics[task.objective.metric] as number;
      const attrs: TrainerFindings = {
        ...(result.diagnoses.length > 0 ? { diagnoses: result.diagnoses } : {}),
        ...(dataset.task === 'classification' && dataset.test.rows > 0
          ? {
              test_confusion: confusionMatrix(predict(tf, model, dataset, dataset.test), dataset.test.y, dataset.labels.length).confusion,
              labels: dataset.labels,
            }
          : {}),
      };
      if (result.stoppedAtEpoch !== null) {
        return {
          type: 'pruned',
          step: result.stoppedAtEpoch,
          value,
          metrics: { ...metrics, train_seconds: secondsSince(started) },
          backend,
          attrs,
        };
      }
      if (folds) {
        const scores = await otherFolds(folds, task.objective.metric, async (fold) => {
          const fitted = await fitOn(loadDataset(trialData, task.dataSeed, fold), SILENT, `-fold${fold}`);
          fitted.dispose();
          return fitted.result;
        });
        const summary = foldSummary([value, ...scores]);
        Object.assign(metrics, { cv_folds: folds, cv_mean: summary.mean, cv_std: summary.std });
        value = summary.mean;
      }
      // A series is ranked on its rolling-origin windows the same way: resample 0 (next to the test split, trained
      // on the most data) was fitted above and is the trial's model; the earlier windows train silently.
      if (dataset.series) {
        const backtests = await backtestSummary(dataset.series.backtests, value, task.objective.metric, async (resample) => {
          const fitted = await fitOn(loadDataset(trialData, task.dataSeed, resample), SILENT, `-backtest${resample}`);
          fitted.dispose();
          return fitted.result;
        });
        Object.assign(metrics, backtests.metrics);
        Object.assign(attrs, { backtests: backtests.windows });
        value = backtests.value;
      }
      metrics.train_seconds = secondsSince(started);
      const artifact = task.artifactDir ? await saveArtifacts(task.artifactDir, model, dataset, trialData) : undefined;
      return { type: 'complete', value, metrics, backend, attrs, ...(artifact ? { artifact } : {}) };
    } finally {
      dispose();
    }
  } catch (error) {
    return { type: 'failed', reason: describeError(error), ...(backend ? { backend } : {}) };
  }
}

const SILENT: Reporter = { report: async () => ({ stop: false }) };

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/** The model, its fitted preprocessing and its validation and test predictions (target units), for ensembles and export. */
async function saveArtifacts(
  dir: string,
  model: LayersModel,
  dataset: PreparedDataset,
  data: DataConfig,
): Promise<{ uri: string; bytes: number }> {
  const outputs = (split: SplitData) => {
    const values = dataset.series ? forecast(tf, model, dataset, split) : predict(tf, model, dataset, split);
    return dataset.task === 'regression' ? values.map((v) => toTargetUnits(dataset.targetScaler!, v)) : values;
  };
  const targets = (split: SplitData) =>
    dataset.task === 'regression' ? split.y.map((v) => toTargetUnits(dataset.targetScaler!, v)) : split.y;
  const predictions: SplitPredictions = {
    width: dataset.task === 'classification' ? dataset.labels.length : 1,
    validation: outputs(dataset.validation),
    validationTargets: targets(dataset.validation),
    test: outputs(dataset.test),
    testTargets: targets(dataset.test),
  };
  const rows = dataset.sourceRows
    ? {
        validation: { file: data.source, rows: dataset.sourceRows.validation },
        test: { file: data.test?.source ?? data.source, rows: dataset.sourceRows.test },
      }
    : undefined;
  const bytes = await writeTrialArtifacts(tf, dir, {
    model,
    preprocessing: fittedPreprocessing(dataset, data),
    predictions,
    ...(rows ? { rows } : {}),
  });
  return { uri: dir, bytes };
}
