export * from './normal.js';
export * from './truncnorm.js';
export * from './stats.js';
export * from './linalg.js';
