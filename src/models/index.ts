export * from './hyperparameters.js';
export { buildModel, type ModelInput } from './build.js';
export { buildTransformer } from './transformer.js';
export { buildMlp } from './mlp.js';
export { buildCnn } from './cnn.js';
export { buildRnn } from './rnn.js';
export { buildOptimizer, disposeOptimizer } from './optimizers.js';
