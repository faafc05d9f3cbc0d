export * from './normal.js';
export * from './truncnorm.js';
export * from './stats.js';
export * from './linalg.js';
export * from './lbfgs.js';
export * from './ridge.js';
export * from './logistic.js';
export * from './seasonality.js';
