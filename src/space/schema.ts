import { z } from 'zod';
import { LIMITS } from './limits.js';
import { inputSchema } from './input-schema.js';
import { spaceSchema } from './space-schema.js';
import { checkSpaceLimits } from './space-limits.js';
import { checkTrainerParams } from './trainer-check.js';

export { inputSchema, type InputConfig } from './input-schema.js';
export { spaceSchema, type ParamSpec, type SpaceSpec } from './space-schema.js';

const splitSchema = z.strictObject({
  validation: z.number().gt(0).lt(1).default(0.15),
  test: z.number().min(0).lt(1).default(0.15),
  stratify: z.boolean().default(true).describe('Keep class proportions in every split (classification only).'),
  folds: z
    .int()
    .min(2)
    .max(20)
    .optional()
    .describe(
      "k-fold cross-validation over the training and validation rows: a trial's value is the mean of its k folds' best scores (the test rows stay held out).",
    ),
  backtests: z
    .int()
    .min(1)
    .max(10)
    .optional()
    .describe(
      "Series: rolling-origin windows, each a full horizon, back to back up to the test window; a trial's value is their mean. Default: 3, or as many as leave 10 training samples.",
    ),
});

export const dataSchema = z.strictObject({
  source: z.string().min(1).describe('CSV file with a header row, relative to the study file.'),
  test: z
    .strictObject({
      source: z.string().min(1).describe('CSV or JSON Lines file with the same columns as data.source, relative to the study file.'),
    })
    .optional()
    .describe(
      'A held-out test file (as many public datasets ship): its rows are the test split, preprocessed with what was fitted on the training split; data.split.test is then unused.',
    ),
  target: z.string().min(1).describe('The column to predict.'),
  task: z.enum(['classification', 'regression']),
  features: z.array(z.string().min(1)).min(1).optional().describe('Feature columns; default: every other column.'),
  input: inputSchema.default({ kind: 'tabular' }).describe('How feature columns form one model input.'),
  preprocessing: z
    .strictObject({
      deduplicate: z.boolean().default(false).describe('Drop exact duplicate rows (features and target) before splitting.'),
      impute: z
        .enum(['mean', 'median', 'most_frequent'])
        .default('median')
        .describe('Fill for a missing number, fitted on the training split; most_frequent also fills a missing category.'),
      missingIndicators: z.boolean().default(true).describe('Add a 0/1 input per numeric column that has missing values.'),
      encoding: z
        .enum(['onehot', 'ordinal'])
        .default('onehot')
        .describe('A category as one 0/1 input per value, or one input holding its index 1..k in sorted order (missing or unseen: 0).'),
      maxCategories: z
        .int()
        .min(1)
        .max(1000)
        .default(50)
        .describe('Most frequent categories encoded per column; rarer ones count as unseen.'),
      scaling: z
        .enum(['standard', 'robust', 'minmax', 'none'])
        .default('standard')
        .describe(
          'Measured inputs: standardized, robust (median and interquartile range, so outliers do not set the scale), mapped to [0, 1] by the training minimum and maximum, or left as they are.',
        ),
    })
    .prefault({})
    .describe('Tabular preprocessing, fitted on the training split: numbers imputed and scaled, other columns encoded.'),
  targetTransform: z.enum(['none', 'log']).default('none').describe('Regression: train on log(1 + y) for a right-skewed target.'),
  split: splitSchema.prefault({}),
  maxRows: z.int().positive().max(LIMITS.rows).default(LIMITS.rows),
  maxBytes: z
    .int()
    .positive()
    .max(LIMITS.fileBytes)
    .default(LIMITS.defaultFileBytes)
    .describe('A larger dataset file is refused before it is read.'),
});

export const objectiveSchema = z.strictObject({
  metric: z.string().min(1).default('value').describe('e.g. val_accuracy, val_loss, val_mae; "value" for modules.'),
  direction: z.enum(['minimize', 'maximize']),
  module: z.string().min(1).optional().describe('An ES module whose default export is (params, ctx) => number; runs in the worker pool.'),
});

const tpeOptions = {
  multivariate: z.boolean().optional().describe('Model each (sub-)space jointly instead of parameter by parameter.'),
  startupTrials: z
    .int()
    .min(0)
    .max(1000)
    .optional()
    .describe('Random trials (quasi-random with startup: "qmc") before the model takes over.'),
  candidates: z.int().min(1).max(10_000).optional().describe('Candidates scored per suggestion.'),
  priorWeight: z.number().positive().optional(),
  constantLiar: z.boolean().optional().describe('Count running trials as the worst so parallel suggestions spread.'),
  startup: z.enum(['random', 'qmc']).optional().describe('Design of the start-up trials.'),
  bandwidthWeightedScore: z.boolean().optional().describe('Weight kernels by their bandwidth when scoring candidates.'),
  gamma: z.enum(['linear', 'sqrt']).optional().describe('Share of good trials: 10% (Optuna) or ¼·√n (hyperopt).'),
};
const gpOptions = {
  startupTrials: z.int().min(1).max(1000).optional().describe('Quasi-random (Halton) trials before the model takes over.'),
  maxObservations: z.int().min(10).max(5000).optional().describe('Fit on at most this many trials (the best half and the most recent).'),
  refitEvery: z.int().min(1).max(1000).optional().describe('Refit kernel hyperparameters every k trials once the study is long.'),
  candidates: z.int().min(16).max(100_000).optional().describe('Quasi-random candidates for the acquisition search.'),
};

export const samplerSchema = z.union([
  z.enum(['random', 'grid', 'qmc', 'tpe', 'gp']),
  z.strictObject({ type: z.literal('random') }),
  z.strictObject({ type: z.literal('grid') }),
  z.strictObject({ type: z.literal('qmc') }),
  z.strictObject({ type: z.literal('tpe'), ...tpeOptions }),
  z.strictObject({ type: z.literal('gp'), ...gpOptions }),
]);

const epochsRange = {
  minEpochs: z.int().positive().max(LIMITS.epochs).optional().describe('Smallest budget a trial gets before a decision (r).'),
  maxEpochs: z.int().positive().max(LIMITS.epochs).optional().describe('Largest budget (R); default: training.epochs.'),
  eta: z.int().min(2).max(100).optional().describe('Reduction factor: keep the top 1/eta at each rung.'),
};

export const schedulerSchema = z.union([
  z.enum(['fifo', 'median', 'asha', 'hyperband']),
  z.strictObject({ type: z.literal('fifo') }),
  z.strictObject({
    type: z.literal('median'),
    startupTrials: z.int().min(0).optional().describe('Complete trials needed before anything is stopped.'),
    warmupSteps: z
      .int()
      .min(0)
      .optional()
      .describe('Steps a trial runs before it can be stopped; default: a tenth of its epochs (0 for objectives).'),
    interval: z.int().positive().optional().describe('Check every this many steps.'),
  }),
  z.strictObject({ type: z.literal('asha'), ...epochsRange }),
  z.strictObject({ type: z.literal('hyperband'), ...epochsRange }),
]);

export const searchSchema = z.strictObject({
  sampler: samplerSchema.default('random'),
  scheduler: schedulerSchema.default('fifo'),
  trials: z.int().positive().max(LIMITS.trials).default(20),
  parallelism: z.int().positive().max(LIMITS.parallelism).default(1),
  seed: z.int().min(0).max(0xffffffff).default(0),
  timeoutSeconds: z.number().positive().optional().describe('Start no trial after this much wall-clock time.'),
  targetValue: z.number().optional().describe('Stop once the best value reaches this.'),
  maxConsecutiveFailures: z.int().positive().default(10),
  trialTimeoutSeconds: z.number().positive().optional().describe('A trial running longer fails with a timeout.'),
  gridResolution: z.int().min(2).max(1000).default(5).describe('Grid points for a float or int without step.'),
  baselines: z
    .boolean()
    .default(true)
    .describe(
      'Run the simple models a statistician would try first (majority class and logistic regression; the mean and ridge; seasonal naive and a linear autoregression) as the first trials of a study that trains models, outside search.trials and outside what the sampler learns from.',
    ),
  staleAfterSeconds: z
    .number()
    .min(1)
    .max(86_400)
    .default(60)
    .describe(
      'A running trial whose heartbeat is older than this belongs to a process that died: it is failed as interrupted and retried once.',
    ),
});

export const trainingSchema = z.strictObject({
  epochs: z.int().positive().max(LIMITS.epochs).default(20),
  maxParameters: z
    .int()
    .positive()
    .max(LIMITS.modelParameters)
    .default(5_000_000)
    .describe('A configuration with more trainable parameters fails as a trial, before anything is allocated.'),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  lossModule: z
    .string()
    .min(1)
    .optional()
    .describe('An ES module whose default export is (tf, yTrue, yPred) => tf.Scalar; the trial parameter loss "custom" trains with it.'),
  keepArtifacts: z
    .int()
    .min(0)
    .max(LIMITS.trials)
    .default(50)
    .describe(
      'Completed trials whose model and predictions stay on disk, best first (0: save none); members of a built ensemble are always kept.',
    ),
  workerMemoryMb: z
    .int()
    .min(32)
    .max(1_048_576)
    .default(4096)
    .describe('JavaScript heap limit of each worker thread: a trial that exceeds it fails as out of memory, and the study goes on.'),
  workerMaxTrials: z
    .int()
    .positive()
    .max(LIMITS.trials)
    .default(50)
    .describe(
      'A worker thread is replaced after this many trials (or once its heap passes half of workerMemoryMb), so memory leaked by trial code cannot accumulate.',
    ),
});

export const ensembleSchema = z.strictObject({
  method: z
    .enum(['greedy', 'average', 'vote', 'stacking'])
    .default('greedy')
    .describe(
      'greedy: Caruana selection with replacement; average: the top N; vote: majority of the top N (classification); stacking: a linear meta-model.',
    ),
  size: z.int().min(1).max(1000).default(25).describe('Greedy: selection rounds (members counted with repetition); average and vote: N.'),
  topK: z.int().min(1).max(1000).default(20).describe('Candidates: the best K completed trials by validation score.'),
  initSize: z.int().min(1).max(100).default(1).describe('Greedy: start from the best N trials.'),
});

const studyShape = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'use letters, digits, . _ - (at most 100)'),
  description: z.string().max(4000).optional(),
  data: dataSchema.optional(),
  objective: objectiveSchema,
  search: searchSchema.prefault({}),
  training: trainingSchema.prefault({}),
  ensemble: ensembleSchema.optional().describe('Build an ensemble of the best trials when the search ends (trained models only).'),
  space: spaceSchema,
});

type StudyShape = z.output<typeof studyShape>;

function refineStudy(study: StudyShape, ctx: z.RefinementCtx, objectiveGiven: boolean): void {
  if (!objectiveGiven && !study.data && !study.objective.module) {
    ctx.addIssue({ code: 'custom', path: ['data'], message: 'a study needs "data" (train models) or "objective.module"' });
  }
  if (study.data && study.objective.module) {
    ctx.addIssue({ code: 'custom', path: ['objective', 'module'], message: 'give either "data" or "objective.module", not both' });
  }
  if (study.data?.split.folds !== undefined && study.data.input.kind === 'series') {
    ctx.addIssue({
      code: 'custom',
      path: ['data', 'split', 'folds'],
      message: 'a time series is split chronologically; folds would train on the future',
    });
  }
  if (study.data?.split.backtests !== undefined && study.data.input.kind !== 'series') {
    ctx.addIssue({
      code: 'custom',
      path: ['data', 'split', 'backtests'],
      message: 'backtests are rolling-origin windows of a time series; other inputs use data.split.folds',
    });
  }
  if (study.data?.test && study.data.input.kind === 'series') {
    ctx.addIssue({
      code: 'custom',
      path: ['data', 'test'],
      message: "a series' test split is its last `horizon` values; append the test values to data.source instead",
    });
  }
  if (study.data?.preprocessing.deduplicate && study.data.input.kind === 'series') {
    ctx.addIssue({
      code: 'custom',
      path: ['data', 'preprocessing', 'deduplicate'],
      message: 'a time series keeps every row: repeated values are not duplicates',
    });
  }
  for (const issue of checkSpaceLimits(study.space)) ctx.addIssue({ code: 'custom', ...issue });
  // The built-in trainer reads a fixed vocabulary; an objective (module or function) receives any space as it is.
  if (study.data && !objectiveGiven)
    for (const issue of checkTrainerParams(study.space, study.data.input.kind)) ctx.addIssue({ code: 'custom', ...issue });
}

/** The study file: one JSON document that describes a whole study. `autotune()` takes the same object. */
export const studyFileSchema = studyShape.superRefine((study, ctx) => refineStudy(study, ctx, false));

/** A study whose objective is an in-process function (the `autotune()` API): needs neither data nor a module. */
export const inlineStudySchema = studyShape.superRefine((study, ctx) => refineStudy(study, ctx, true));

/** A study file as written (defaults not yet applied). */
export type StudyFileInput = z.input<typeof studyFileSchema>;
/** A validated study definition with every default filled in. */
export type StudyConfig = z.output<typeof studyFileSchema>;
export type DataConfig = z.output<typeof dataSchema>;
export type SearchConfig = z.output<typeof searchSchema>;
export type TrainingConfig = z.output<typeof trainingSchema>;
export type EnsembleConfig = z.output<typeof ensembleSchema>;
export type ObjectiveConfig = z.output<typeof objectiveSchema>;
export type SamplerConfig = z.output<typeof samplerSchema>;
export type SchedulerConfig = z.output<typeof schedulerSchema>;
