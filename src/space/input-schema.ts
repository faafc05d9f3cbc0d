// How feature columns form a model's input (`data.input`): apart from the study schema so the trainer's
// parameter vocabulary (trainer-names.ts, trainer-check.ts), which depends on the input kind, need not import it.
import { z } from 'zod';
import { LIMITS } from './limits.js';

export const inputSchema = z.union([
  z.strictObject({ kind: z.literal('tabular') }),
  z
    .strictObject({
      kind: z.literal('text'),
      maxVocabulary: z.int().min(10).max(LIMITS.vocabulary).default(5000).describe('Most frequent terms kept (by document count).'),
      minCount: z.int().min(1).default(2).describe('A term must appear in at least this many training texts.'),
      ngrams: z
        .union([z.literal(1), z.literal(2)])
        .default(1)
        .describe('1: words; 2: words and adjacent word pairs.'),
      lowercase: z.boolean().default(true),
      sequenceLength: z
        .int()
        .min(4)
        .max(LIMITS.sequenceLength)
        .default(200)
        .describe('Token sequences: words kept from the start of each text; shorter texts are padded.'),
      representation: z
        .enum(['auto', 'tfidf', 'tokens'])
        .default('auto')
        .describe("tfidf: a bag of words for MLPs; tokens: word ids for embeddings (RNN, Transformer); auto: by the trial's model."),
      padding: z
        .enum(['auto', 'pre', 'post'])
        .default('auto')
        .describe(
          'Token sequences: where short texts are padded; auto: before the words for an RNN (it ends on words), after them otherwise.',
        ),
    })
    .describe(
      'One text column: a TF-IDF bag of words or a token sequence, with the vocabulary fitted on the training split. maxVocabulary, minCount, ngrams, lowercase and sequenceLength may also be searched as trial parameters.',
    ),
  z
    .strictObject({
      kind: z.literal('series'),
      lookback: z.int().min(1).max(LIMITS.lookback).describe('Past values the model reads to predict the next one.'),
      horizon: z
        .int()
        .min(1)
        .max(10_000)
        .describe('The test split (the last `horizon` values) and each validation window: forecast from one cut-off.'),
      strategy: z
        .enum(['recursive', 'direct'])
        .default('recursive')
        .describe(
          'recursive: one step at a time, each forecast read as the next input; direct: all `horizon` steps at once (one output each).',
        ),
      period: z
        .int()
        .min(1)
        .max(LIMITS.lookback)
        .optional()
        .describe(
          'The seasonal period (12 for monthly values with a yearly cycle): what the seasonalNaive baseline repeats. Default: detected from the autocorrelation of the training values.',
        ),
    })
    .describe('The target column as one time series in file order (regression): a chronological split, no shuffling across time.'),
  z.strictObject({
    kind: z.literal('image'),
    shape: z
      .tuple([z.int().positive().max(4096), z.int().positive().max(4096), z.int().positive().max(4)])
      .describe('[height, width, channels]; the feature columns are the pixels in row-major order.'),
  }),
]);

export type InputConfig = z.output<typeof inputSchema>;
