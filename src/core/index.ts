export * from './annotations.js';
export * from './errors.js';
export * from './rank.js';
export * from './rng.js';
export * from './types.js';
export * from './lift.js';
