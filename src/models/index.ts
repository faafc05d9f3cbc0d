export * from './hyperparameters.js';
export { buildMlp } from './mlp.js';
export { buildOptimizer } from './optimizers.js';
