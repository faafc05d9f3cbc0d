/**
 * Caps on what a study file may ask for. They are part of the schema, so a file that would exhaust the machine is
 * refused before anything is allocated or written.
 */
export const LIMITS = {
  /** Parameters in the whole space, every branch counted. */
  parameters: 128,
  /** Nesting depth of conditional branches. */
  branchDepth: 8,
  /**
   * Nesting of objects and arrays anywhere in a study document: far above what {@link branchDepth} allows (each
   * branch level is three), far below what would overflow the stack while validating.
   */
  jsonDepth: 64,
  /** Options of one categorical parameter. */
  choices: 256,
  /** Upper bound of any parameter named `layers` or `blocks`. */
  layers: 32,
  /** Upper bound of any parameter named `units`, `filters` or `dense`. */
  units: 8192,
  /** Upper bound of `epochs`, in the training block or the space. */
  epochs: 1000,
  /** Upper bound of any parameter named `batchSize`. */
  batchSize: 65536,
  trials: 100_000,
  parallelism: 64,
  /** Tokens kept per text. */
  sequenceLength: 4096,
  /** Words in a text vocabulary. */
  vocabulary: 50_000,
  /** Past values a series window reads. */
  lookback: 1000,
  /** Rows read from a dataset. */
  rows: 1_000_000,
  /** Bytes of a dataset file: the most `data.maxBytes` may allow, and its default. */
  fileBytes: 2 * 1024 * 1024 * 1024,
  defaultFileBytes: 512 * 1024 * 1024,
  /** Trainable parameters of one model (what `training.maxParameters` may be raised to). */
  modelParameters: 200_000_000,
  /** Points a grid sampler may enumerate. */
  gridPoints: 1_000_000,
} as const;

/** Parameter names whose values are bounded, with the range allowed (0 layers is a linear model). */
export const CAPPED_PARAMETER_NAMES: Readonly<Record<string, { readonly min: number; readonly max: number }>> = {
  layers: { min: 0, max: LIMITS.layers },
  blocks: { min: 0, max: LIMITS.layers },
  units: { min: 1, max: LIMITS.units },
  filters: { min: 1, max: LIMITS.units },
  dense: { min: 1, max: LIMITS.units },
  epochs: { min: 1, max: LIMITS.epochs },
  batchSize: { min: 1, max: LIMITS.batchSize },
  embedDim: { min: 1, max: LIMITS.units },
  ffUnits: { min: 1, max: LIMITS.units },
  heads: { min: 1, max: 64 },
  sequenceLength: { min: 4, max: LIMITS.sequenceLength },
  maxVocabulary: { min: 10, max: LIMITS.vocabulary },
  lookback: { min: 1, max: LIMITS.lookback },
};
