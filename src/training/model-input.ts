import type { PreparedDataset } from '../data/prepared-dataset.js';
import { idCount } from '../data/tokens.js';
import type { ModelInput } from '../models/model-input.js';

/** What a model trained on this dataset reads: the example shape, and the id count when the input is token ids. */
export function modelInputOf(dataset: PreparedDataset): ModelInput {
  return { shape: dataset.inputShape, vocabularySize: dataset.tokenizer ? idCount(dataset.tokenizer) : 0 };
}
