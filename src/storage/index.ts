export * from './storage.js';
export { MemoryStorage } from './memory.js';
export { SqliteStorage } from './sqlite/sqlite-storage.js';
export { openStorage } from './open.js';
