import { writeFileSync } from 'node:fs';
import { studyJsonSchemaText } from '../space/json-schema.js';

/** `autotune schema [--out file]`: the JSON Schema editors use for study files. */
export async function schemaCommand(flags: { out?: string }): Promise<void> {
  const text = studyJsonSchemaText();
  if (flags.out) writeFileSync(flags.out, text);
  else process.stdout.write(text);
}
