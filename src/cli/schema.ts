import { studyJsonSchemaText } from '../space/json-schema.js';
import { writeOutFile } from './output-file.js';

/** `autotune schema [--out file]`: the JSON Schema editors use for study files. */
export async function schemaCommand(flags: { out?: string }): Promise<void> {
  const text = studyJsonSchemaText();
  if (flags.out) await writeOutFile(flags.out, text);
  else process.stdout.write(text);
}
