import type { InputConfig } from './input-schema.js';

// What the built-in trainer reads from a trial's parameters, declared once: the study-file check refuses a name
// nothing reads, the activity rule drops what a trial's model does not read, and src/training/hyperparameters.ts
// reads its parameters through these lists (its readers accept only declared names), so the three cannot drift.

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const DEFAULT_OPTIMIZER: OptimizerName = 'adam';

/** Parameters of gradient training, read at the top level, in the model's branch or in the optimizer's branch. */
export const FIT_PARAMS = [
  'optimizer',
  'learningRate',
  'momentum',
  'nesterov',
  'batchSize',
  'epochs',
  'schedule',
  'warmupEpochs',
  'loss',
  'classWeights',
  'clipNorm',
  'clipValue',
  'patience',
  'labelSmoothing',
  'weightDecay',
] as const;
export type FitParam = (typeof FIT_PARAMS)[number];

/** Fitting parameters only some optimizers read (every other one is read by all of them). */
export const OPTIMIZER_ONLY: Readonly<Partial<Record<FitParam, readonly OptimizerName[]>>> = {
  momentum: ['sgd', 'rmsprop'],
  nesterov: ['sgd'],
};

/** Augmentation: plain parameters beside the fitting ones, or the fields of an `augment` branch. */
export const AUGMENT_PARAMS = ['shift', 'flip', 'noise', 'tokenDropout'] as const;

export const SCHEDULE_PARAMS = { constant: [], step: ['every', 'factor'], cosine: ['minFactor'] } as const;
export type ScheduleName = keyof typeof SCHEDULE_PARAMS;

/** The L1 penalty is on every kernel: read with the architecture by every family trained by gradient. */
export const KERNEL_L1 = 'l1';

interface FamilyDeclaration {
  /** Architecture parameters, read at the top level or in the model's branch. */
  readonly architecture: readonly string[];
  /** Read only when the model has hidden layers (`layers` > 0). */
  readonly hidden?: readonly string[];
  /** Read only when the input is text (word ids to embed). */
  readonly textOnly?: readonly string[];
  /** Trained by gradient, so it reads the fitting, augmentation and L1 parameters. */
  readonly gradient: boolean;
}

const MLP_HIDDEN = ['units', 'batchNorm', 'residual', 'activation', 'dropout', 'l2'] as const;

/**
 * Each model family and what it reads; `linear` is an MLP without hidden layers. The closed-form families are the
 * baselines every study runs first (src/controller/baselines.ts) and may also be searched like any other.
 */
export const MODEL_FAMILIES = {
  mlp: { architecture: ['layers', 'numericEmbedding', 'embeddingScale', ...MLP_HIDDEN], hidden: MLP_HIDDEN, gradient: true },
  linear: { architecture: [], gradient: true },
  cnn: {
    architecture: [
      'blocks',
      'filters',
      'kernelSize',
      'stride',
      'residual',
      'pooling',
      'head',
      'batchNorm',
      'dense',
      'activation',
      'dropout',
      'l2',
    ],
    gradient: true,
  },
  rnn: { architecture: ['cell', 'units', 'layers', 'bidirectional', 'embedDim', 'dropout', 'l2'], textOnly: ['embedDim'], gradient: true },
  transformer: { architecture: ['embedDim', 'heads', 'blocks', 'ffUnits', 'dropout', 'l2'], gradient: true },
  ridge: { architecture: ['alpha'], gradient: false },
  logistic: { architecture: ['alpha'], gradient: false },
  majority: { architecture: [], gradient: false },
  mean: { architecture: [], gradient: false },
  seasonalNaive: { architecture: ['period'], gradient: false },
} as const satisfies Record<string, FamilyDeclaration>;
export type ModelFamily = keyof typeof MODEL_FAMILIES;
export const FAMILY_NAMES = Object.keys(MODEL_FAMILIES) as ModelFamily[];
/** Whether a value names a model family. */
export function isModelFamily(value: unknown): value is ModelFamily {
  return typeof value === 'string' && Object.hasOwn(MODEL_FAMILIES, value);
}
/** Hidden layers of an MLP whose space does not set `layers`. */
export const DEFAULT_MLP_LAYERS = 2;
/** The family of a space without a `model` parameter. */
export const DEFAULT_FAMILY: ModelFamily = 'mlp';
/** The architecture parameter names of one family, for the trainer's typed readers. */
export type ArchitectureName<F extends ModelFamily> = (typeof MODEL_FAMILIES)[F]['architecture'][number];

/** Settings of `data.input` that a trial may search, by input kind. */
export const SEARCHABLE_INPUT: Readonly<Record<string, readonly string[]>> = {
  text: ['maxVocabulary', 'minCount', 'ngrams', 'lowercase', 'sequenceLength', 'representation', 'padding'],
  series: ['lookback'],
};
/** Settings of `data.preprocessing` that a trial may search (tabular input). */
export const SEARCHABLE_PREPROCESSING = ['deduplicate', 'impute', 'missingIndicators', 'encoding', 'maxCategories', 'scaling'];

/** The data settings a trial of this input kind may search (top level or model branch). */
export function dataSettings(kind: InputConfig['kind']): readonly string[] {
  return kind === 'tabular' ? SEARCHABLE_PREPROCESSING : (SEARCHABLE_INPUT[kind] ?? []);
}

/**
 * Where a parameter sits, as the trainer reads it: with the architecture (the top level or the model's branch),
 * in an optimizer's branch, a schedule's branch or an augmentation branch; `none` inside any other branch.
 */
export type Scope =
  | { readonly kind: 'model'; readonly family: ModelFamily }
  | { readonly kind: 'optimizer'; readonly optimizer: string }
  | { readonly kind: 'schedule'; readonly schedule: string }
  | { readonly kind: 'augment' }
  | { readonly kind: 'none'; readonly under: string };

/** The scope inside the branch `branch` of the choice `name`, from the scope that holds the choice. */
export function branchScope(outer: Scope, name: string, branch: string): Scope {
  const fitting = outer.kind === 'model' || outer.kind === 'optimizer';
  if (name === 'optimizer' && outer.kind === 'model') return { kind: 'optimizer', optimizer: branch };
  if (name === 'schedule' && fitting) return { kind: 'schedule', schedule: branch };
  if (name === 'augment' && fitting) return { kind: 'augment' };
  return { kind: 'none', under: name };
}

/**
 * The parameter names the trainer reads in a scope (before conditions on values: `units` needs hidden layers,
 * `momentum` an optimizer that has one).
 *
 * @example namesReadIn({ kind: 'model', family: 'ridge' }, 'tabular').has('learningRate') // false
 */
export function namesReadIn(scope: Scope, inputKind: InputConfig['kind']): ReadonlySet<string> {
  switch (scope.kind) {
    case 'model': {
      const declared: FamilyDeclaration = MODEL_FAMILIES[scope.family];
      const architecture = declared.architecture.filter((name) => inputKind === 'text' || !declared.textOnly?.includes(name));
      const fitting = declared.gradient ? [...FIT_PARAMS, KERNEL_L1, 'augment', ...AUGMENT_PARAMS] : [];
      return new Set([...architecture, ...fitting, ...dataSettings(inputKind)]);
    }
    case 'optimizer':
      return new Set([
        ...FIT_PARAMS.filter((name) => name !== 'optimizer' && optimizerReads(scope.optimizer, name)),
        'augment',
        ...AUGMENT_PARAMS,
      ]);
    case 'schedule':
      return new Set<string>(SCHEDULE_PARAMS[scope.schedule as ScheduleName] ?? []);
    case 'augment':
      return new Set<string>(AUGMENT_PARAMS);
    case 'none':
      return new Set();
  }
}

/** Whether an optimizer reads a parameter (momentum is SGD's and RMSprop's). */
export function optimizerReads(optimizer: string, name: string): boolean {
  const only = OPTIMIZER_ONLY[name as FitParam];
  return !only || (only as readonly string[]).includes(optimizer);
}

/** Every name the trainer reads anywhere, for any input: what a misspelling is measured against. */
export const ALL_TRAINER_NAMES: ReadonlySet<string> = new Set([
  'model',
  'augment',
  KERNEL_L1,
  ...FIT_PARAMS,
  ...AUGMENT_PARAMS,
  ...Object.values(SCHEDULE_PARAMS).flat(),
  ...Object.values(MODEL_FAMILIES).flatMap((f) => f.architecture),
  ...Object.values(SEARCHABLE_INPUT).flat(),
  ...SEARCHABLE_PREPROCESSING,
]);
