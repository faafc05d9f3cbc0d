import { TrialFailedError } from '../core/errors.js';
import type { Params, ParamValue } from '../core/types.js';
import { formatIssues } from '../space/errors.js';
import { dataSchema, type DataConfig } from '../space/schema.js';
import { SEARCHABLE_INPUT, SEARCHABLE_PREPROCESSING } from '../space/trainer-names.js';

// Models that read a vector of numbers per text; the others embed token ids.
const BAG_OF_WORDS_MODELS: readonly string[] = ['mlp', 'ridge', 'logistic', 'majority', 'mean'];

/**
 * The data configuration one trial trains on: the study's, with any searchable data setting that the trial's
 * parameters name put in its place (`sequenceLength: 128` in a Transformer branch, `lookback: 24`,
 * `scaling: "minmax"`), and a text representation of `auto` resolved by the model (a bag of words for an MLP or a linear model,
 * token ids for anything that embeds). The result is validated by the study-file schema, so a searched value out
 * of range fails the trial with the setting's JSON path. Each distinct setting is prepared once per worker.
 *
 * @example dataForTrial(study.data, { sequenceLength: 64 }, 'transformer').input // { kind: 'text', sequenceLength: 64, representation: 'tokens', … }
 */
export function dataForTrial(data: DataConfig, params: Params, modelType: string): DataConfig {
  let input: Record<string, unknown> = { ...data.input, ...picked(params, SEARCHABLE_INPUT[data.input.kind] ?? []) };
  if (input.kind === 'text') {
    if (input.representation === 'auto') input = { ...input, representation: BAG_OF_WORDS_MODELS.includes(modelType) ? 'tfidf' : 'tokens' };
    if (input.padding === 'auto') input = { ...input, padding: modelType === 'rnn' ? 'pre' : 'post' };
  }
  const preprocessing =
    data.input.kind === 'tabular' ? { ...data.preprocessing, ...picked(params, SEARCHABLE_PREPROCESSING) } : data.preprocessing;
  const parsed = dataSchema.safeParse({ ...data, input, preprocessing });
  if (!parsed.success) {
    throw new TrialFailedError(`${formatIssues(parsed.error.issues, ['data']).join('; ')} (from the trial's parameters)`);
  }
  return parsed.data;
}

function picked(params: Params, keys: readonly string[]): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = {};
  for (const key of keys) {
    const value = params[key];
    if (value !== undefined && typeof value !== 'object') values[key] = value;
  }
  return values;
}
