import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { currentSearch, recordedChecksums, recordedVersion, relocatedData, type DataLocation } from '../api/joinable-study.js';
import { validateStudy, type ValidatedStudy } from '../api/validate-study.js';
import { InputError } from '../core/errors.js';
import type { StudyRecord } from '../core/types.js';
import { autotuneVersion } from '../core/version.js';
import { checkDataChecksums } from '../data/checksums.js';
import type { StudyConfig } from '../space/schema.js';
import type { Storage } from '../storage/storage.js';

/** What `autotune worker` was told about the study it joins. */
export interface JoinRequest {
  readonly study: string;
  readonly parallelism?: number;
  /** The dataset's copy on this machine, when it is not at the path the study recorded. */
  readonly data?: string;
  /** The held-out test file's copy on this machine. */
  readonly testData?: string;
}

/** A study a worker may join: its stored definition, validated here, and where this machine reads its files. */
export interface JoinPlan {
  readonly validated: ValidatedStudy;
  readonly location: DataLocation;
}

/** A refusal lists the studies there are when a line can hold them. */
const LISTED_STUDIES = 10;

/**
 * Checks, reading only, that this machine can run trials of the study named in `request`: the study exists, its
 * objective is something a process other than its creator can run, its stored definition still validates here,
 * and its dataset is the file the study recorded (sha256). Throws an {@link InputError} in one line otherwise.
 */
export async function planJoin(storage: Storage, request: JoinRequest): Promise<JoinPlan> {
  const record = await findStudy(storage, request.study);
  const stored = record.config as StudyConfig;
  const where = `study "${record.name}" in ${storage.url}`;
  if (!stored.data && !stored.objective.module) {
    throw new InputError(`${where} optimizes a function given in code (autotune()), which only the program that created it can run`);
  }
  const location = dataLocation(stored, request, where);
  const local = relocatedData({ ...stored, search: currentSearch(record) }, location);
  if (local.data && !existsSync(local.data.source)) {
    throw new InputError(`${where}: its dataset ${local.data.source} is not on this machine; give its copy with --data PATH`);
  }
  if (local.data?.test && !existsSync(local.data.test.source)) {
    throw new InputError(
      `${where}: its held-out test file ${local.data.test.source} is not on this machine; give its copy with --test-data PATH`,
    );
  }
  const checked = validatedHere(local, request, where);
  const recorded = recordedChecksums(record);
  if (local.data && recorded) checkDataChecksums(recorded, local.data, record.name);
  else if (local.data)
    console.error(
      `autotune: ${where} recorded no dataset checksum (created by an older autotune); joining without checking ${local.data.source}`,
    );
  warnOnOtherVersion(record, where);
  // The definition keeps the recorded paths, so that opening the study finds it unchanged; trials read `location`.
  const config: StudyConfig = { ...checked.config, ...(stored.data ? { data: stored.data } : {}) };
  return { validated: { ...checked, config }, location };
}

/** A warning, not a refusal: a patch release trains the same models, and the user knows which releases differ. */
function warnOnOtherVersion(record: StudyRecord, where: string): void {
  const theirs = recordedVersion(record);
  const ours = autotuneVersion();
  if (theirs === undefined || theirs === ours) return;
  console.error(
    `autotune: ${where} was last run by autotune ${theirs}, and this is ${ours}; install the same version on every machine so that its trials compare`,
  );
}

async function findStudy(storage: Storage, name: string): Promise<StudyRecord> {
  const record = await storage.findStudy(name);
  if (record) return record;
  const names = (await storage.listStudies()).map((s) => s.name);
  const there =
    names.length === 0
      ? 'it holds no study'
      : names.length <= LISTED_STUDIES
        ? `its studies: ${names.join(', ')}`
        : `it holds ${names.length} studies (autotune studies --storage … lists them)`;
  throw new InputError(`no study named "${name}" in ${storage.url} (${there}); a worker joins a study that \`autotune run\` created`);
}

function dataLocation(stored: StudyConfig, request: JoinRequest, where: string): DataLocation {
  if (request.data !== undefined && !stored.data)
    throw new InputError(`--data: ${where} trains on no dataset (its objective is ${stored.objective.module})`);
  if (request.testData !== undefined && !stored.data?.test)
    throw new InputError(`--test-data: ${where} has no held-out test file (data.test)`);
  return {
    ...(request.data !== undefined ? { source: resolve(request.data) } : {}),
    ...(request.testData !== undefined ? { test: resolve(request.testData) } : {}),
  };
}

/** The stored definition through the gate every study passes, with this worker's `--parallelism`. */
function validatedHere(config: StudyConfig, request: JoinRequest, where: string): ValidatedStudy {
  try {
    return validateStudy(config, { search: { parallelism: request.parallelism } });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`${where}: ${error.message}`, { file: error.file, issues: error.issues, cause: error });
  }
}
