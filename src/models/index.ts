export * from './hyperparameters.js';
export { buildModel } from './build.js';
export { buildMlp } from './mlp.js';
export { buildCnn } from './cnn.js';
export { buildRnn } from './rnn.js';
export { buildOptimizer, disposeOptimizer } from './optimizers.js';
