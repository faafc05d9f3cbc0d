import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { formatIssues } from './errors.js';
import { preflightIssue } from './preflight.js';
import { inlineStudySchema, studyFileSchema, type StudyConfig } from './schema.js';

const MAX_STUDY_FILE_BYTES = 1024 * 1024;

/**
 * Validates a study definition; throws an {@link InputError} whose issues name each JSON path.
 *
 * @example parseStudy({ name: 'x', objective: { module: './f.js', direction: 'minimize' }, space: { x: { float: [0, 1] } } })
 */
export function parseStudy(input: unknown, file?: string, options: { inlineObjective?: boolean } = {}): StudyConfig {
  const early = preflightIssue(input);
  if (early !== undefined) throw invalidStudy([early], file);
  // reportInput lets the error formatter tell a missing key from a wrong value when it picks a union alternative.
  const result = (options.inlineObjective ? inlineStudySchema : studyFileSchema).safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw invalidStudy(formatIssues(result.error.issues), file);
}

function invalidStudy(issues: readonly string[], file: string | undefined): InputError {
  const where = file ? `${file}: ` : '';
  return new InputError(`${where}invalid study definition\n  ${issues.join('\n  ')}`, { file, issues });
}

/** A study file read from disk, with relative paths (data source, objective module) resolved against its folder. */
export interface LoadedStudyFile {
  readonly config: StudyConfig;
  readonly file: string;
}

/**
 * Reads, parses and validates a study file.
 *
 * @example const { config } = loadStudyFile('search-spaces/wine.json');
 */
export function loadStudyFile(path: string): LoadedStudyFile {
  const file = resolve(path);
  let text: string;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError(`${path}: is a directory, not a study file`, { file: path });
    // A device or FIFO reports size 0 and may never end (/dev/zero): only regular files are read.
    if (!stat.isFile()) throw new InputError(`${path}: not a regular file`, { file: path });
    if (stat.size > MAX_STUDY_FILE_BYTES) {
      throw new InputError(`${path}: the study file is ${stat.size} bytes; at most ${MAX_STUDY_FILE_BYTES} (1 MiB) are read`, {
        file: path,
      });
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: cannot read the study file (${(error as Error).message})`, { file: path, cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON (${(error as Error).message})`, { file: path, cause: error });
  }
  const config = parseStudy(json, path);
  return { config: resolveStudyPaths(config, dirname(file)), file };
}

/** Makes the data source (and test file), objective module and loss module absolute, relative to `baseDir`. */
export function resolveStudyPaths(config: StudyConfig, baseDir: string): StudyConfig {
  return {
    ...config,
    ...(config.data
      ? {
          data: {
            ...config.data,
            source: resolve(baseDir, config.data.source),
            ...(config.data.test ? { test: { source: resolve(baseDir, config.data.test.source) } } : {}),
          },
        }
      : {}),
    objective: config.objective.module ? { ...config.objective, module: resolve(baseDir, config.objective.module) } : config.objective,
    training: config.training.lossModule
      ? { ...config.training, lossModule: resolve(baseDir, config.training.lossModule) }
      : config.training,
  };
}
