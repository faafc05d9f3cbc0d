import { z } from 'zod';
import { studyFileSchema } from './schema.js';

/**
 * The JSON Schema editors use to check and complete study files (`search-spaces/schema.json`), generated from the
 * same zod schema that validates them, so the two cannot drift.
 */
export function studyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(studyFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://autotune.dev/schema/study.json', title: 'autotune study file' };
}

/** The schema as the committed file holds it (stable key order, trailing newline). */
export function studyJsonSchemaText(): string {
  return `${JSON.stringify(studyJsonSchema(), null, 2)}\n`;
}
