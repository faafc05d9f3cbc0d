import { removeArtifactFolders, studyArtifactFolders } from '../artifacts/study-files.js';
import type { ArtifactStore } from '../artifacts/store.js';
import { storeOf, writeStoreFor } from '../artifacts/stores.js';
import { InputError } from '../core/errors.js';
import type { StudyRecord, TrialRecord } from '../core/types.js';
import type { Storage } from '../storage/storage.js';
import type { ImportedTrial } from '../storage/study-import.js';

/** What `copyStudies` copied of one study. */
export interface CopiedStudy {
  readonly name: string;
  readonly trials: number;
  readonly steps: number;
  /** Trials whose artifact files were copied (the others had none left, or never saved any). */
  readonly artifacts: number;
}

export interface CopyOptions {
  /** Only this study; default: every study of the source. */
  readonly study?: string;
  /** Put the copies' artifact files in this directory rather than the target's default store. */
  readonly artifacts?: string;
}

/**
 * Copies studies between two storages (SQLite, PostgreSQL, memory, in any direction), as Optuna's `copy_study`:
 * every trial with its number, state, params, values, metrics, seed, times and attributes, every step, the study's
 * attributes and note, and each trial's artifact files, re-homed into the target's store (the database, or the
 * folder beside a SQLite file). Running and waiting trials are copied as they are: a copy is a snapshot, and a run
 * resumed on the copy treats them as a crash leaves them (failed as interrupted, then retried). Refuses, writing
 * nothing, a study name the target already has, or a source without the study (or without any).
 *
 * @example await copyStudies(await openStorage('laptop.db'), await openStorage('postgres://…'), { study: 'wine' });
 */
export async function copyStudies(from: Storage, to: Storage, options: CopyOptions = {}): Promise<CopiedStudy[]> {
  const names = await studiesToCopy(from, options.study);
  const taken: string[] = [];
  for (const name of names) if (await to.findStudy(name)) taken.push(name);
  if (taken.length > 0) {
    const one = taken.length === 1;
    const named = taken.map((n) => `"${n}"`).join(', ');
    throw new InputError(
      `${to.url} already has ${one ? 'a study' : 'studies'} named ${named}; nothing copied (delete ${one ? 'it' : 'them'} there, or choose one with --study)`,
    );
  }
  const target = writeStoreFor(to, options.artifacts);
  const copied: CopiedStudy[] = [];
  for (const name of names) copied.push(await copyOne(from, to, target, (await from.findStudy(name)) as StudyRecord));
  return copied;
}

/** The names to copy: the one asked for, or every study; either must exist. */
export async function studiesToCopy(from: Storage, study: string | undefined): Promise<string[]> {
  if (study !== undefined) {
    if (!(await from.findStudy(study))) throw new InputError(`no study named "${study}" in ${from.url}; nothing copied`);
    return [study];
  }
  const names = (await from.listStudies()).map((s) => s.name);
  if (names.length === 0) throw new InputError(`${from.url} has no studies; nothing copied`);
  return names;
}

/** One study: its records in one import, then its files; a failure among the files deletes the copy again. */
async function copyOne(from: Storage, to: Storage, target: ArtifactStore, source: StudyRecord): Promise<CopiedStudy> {
  const trials = await from.listTrials(source.id);
  const imported: ImportedTrial[] = [];
  const withFiles: { trial: TrialRecord; uri: string }[] = [];
  let steps = 0;
  for (const trial of trials) {
    const { id: _id, studyId: _studyId, ...record } = trial;
    const trialSteps = await from.listSteps(trial.id);
    steps += trialSteps.length;
    const artifacts = (await from.listArtifacts(trial.id)).map(({ kind, uri, bytes, createdAt }) => {
      // A trial's files move into the target's store; any other record (none are written today) keeps its URI.
      if (kind !== 'trial') return { kind, uri, bytes, createdAt };
      withFiles.push({ trial, uri });
      return { kind, uri: target.uriFor(source.name, trial.number), bytes, createdAt };
    });
    imported.push({ trial: record, steps: trialSteps, artifacts });
  }
  const { id: _id, ...study } = source;
  const copy = await to.importStudy({
    study,
    note: await from.getStudyNote(source.id),
    stepMetrics: await from.listStepMetrics(source.id),
    trials: imported,
  });
  let artifacts = 0;
  try {
    const copies = new Map((await to.listTrials(copy.id)).map((t) => [t.number, t]));
    // One trial's files in memory at a time.
    for (const { trial, uri } of withFiles) {
      const files = await storeOf(from, uri).readFiles(trial, uri);
      if (!files) continue;
      await target.writeFiles(copies.get(trial.number) as TrialRecord, source.name, files);
      artifacts++;
    }
  } catch (error) {
    const folders = await studyArtifactFolders(to, copy);
    await to.deleteStudy(copy.id);
    removeArtifactFolders(folders);
    throw error;
  }
  return { name: source.name, trials: trials.length, steps, artifacts };
}
