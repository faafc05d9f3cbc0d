import { TrialFailedError } from '../core/errors.js';
import type { Params, ParamValue } from '../core/types.js';
import { formatIssues } from '../space/errors.js';
import { inputSchema, type DataConfig } from '../space/schema.js';

/** Settings of `data.input` that a trial may search, by input kind. */
const SEARCHABLE: Readonly<Record<string, readonly string[]>> = {
  text: ['maxVocabulary', 'minCount', 'ngrams', 'lowercase', 'sequenceLength', 'representation', 'padding'],
  series: ['lookback'],
};

/**
 * The data configuration one trial trains on: the study's, with any searchable input setting the trial's
 * parameters name (`sequenceLength: 128` in a Transformer branch, `lookback: 24`) put in its place, and a text
 * representation of `auto` resolved by the model (a bag of words for an MLP, token ids for anything that embeds).
 * The result is validated by the study-file schema, so a searched value out of range fails the trial with that reason.
 *
 * @example dataForTrial(study.data, { sequenceLength: 64 }, 'transformer').input // { kind: 'text', sequenceLength: 64, representation: 'tokens', … }
 */
export function dataForTrial(data: DataConfig, params: Params, modelType: string): DataConfig {
  const keys = SEARCHABLE[data.input.kind] ?? [];
  const overrides: Record<string, ParamValue> = {};
  for (const key of keys) {
    const value = params[key];
    if (value !== undefined && typeof value !== 'object') overrides[key] = value;
  }
  let input: Record<string, unknown> = { ...data.input, ...overrides };
  if (input.kind === 'text') {
    if (input.representation === 'auto') input = { ...input, representation: modelType === 'mlp' ? 'tfidf' : 'tokens' };
    if (input.padding === 'auto') input = { ...input, padding: modelType === 'rnn' ? 'pre' : 'post' };
  }
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    throw new TrialFailedError(`${formatIssues(parsed.error.issues, ['data', 'input']).join('; ')} (from the trial's parameters)`);
  }
  return { ...data, input: parsed.data };
}
