export * from './model-specs.js';
export { buildModel } from './build.js';
export type { ModelInput } from './model-input.js';
export { modelOutputOf, ONE_VALUE, outputUnits, type ModelOutput } from './model-output.js';
export { buildTransformer } from './transformer.js';
export { buildMlp } from './mlp.js';
export { buildCnn } from './cnn.js';
export { buildRnn } from './rnn.js';
