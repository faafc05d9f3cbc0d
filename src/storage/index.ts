export * from './storage.js';
export { defaultReadModels } from './read-models.js';
export { MemoryStorage } from './memory.js';
export { SqliteStorage } from './sqlite/sqlite-storage.js';
export { PostgresStorage } from './postgres/postgres-storage.js';
export type { PostgresOptions } from './postgres/connect.js';
export { isPostgresUrl, openStorage } from './open.js';
