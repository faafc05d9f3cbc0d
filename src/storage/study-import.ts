import type { StepRecord, StudyRecord, TrialRecord } from '../core/types.js';
import type { StudyNote } from './study-note.js';

/** An artifact record as another storage holds it; its URI may depend on the id the trial gets here. */
export interface ImportedArtifact {
  readonly kind: string;
  readonly uri: string | ((trialId: number) => string);
  readonly bytes: number | null;
  readonly createdAt: number;
}

/** A trial as another storage holds it, with its steps and artifact records. */
export interface ImportedTrial {
  readonly trial: Omit<TrialRecord, 'id' | 'studyId'>;
  readonly steps: readonly StepRecord[];
  readonly artifacts: readonly ImportedArtifact[];
}

/**
 * A whole study as another storage holds it, for {@link Storage.importStudy} (`autotune copy`): every record as it
 * was stored there (numbers, states, times, attributes), only the ids are this storage's own.
 */
export interface StudyImport {
  readonly study: Omit<StudyRecord, 'id'>;
  readonly note: StudyNote;
  /** The metric names ever reported in a step (a replaced step's too): not derivable from the steps kept. */
  readonly stepMetrics: readonly string[];
  readonly trials: readonly ImportedTrial[];
}

/** The URI an imported artifact gets for the trial id it was given. */
export function importedUri(artifact: ImportedArtifact, trialId: number): string {
  return typeof artifact.uri === 'function' ? artifact.uri(trialId) : artifact.uri;
}

/** The columns of an imported study's row, as both SQL backends store them, in {@link studyRowValues}' order. */
export const STUDY_ROW_COLUMNS =
  'name, directions, config, state, user_attrs, system_attrs, created_at, note, note_version, note_updated_at';

/** An imported study's row values (JSON columns encoded as the backends' own writes encode them). */
export function studyRowValues({ study, note }: StudyImport): (string | number | null)[] {
  return [
    study.name,
    JSON.stringify(study.directions),
    JSON.stringify(study.config),
    study.state,
    JSON.stringify(study.userAttrs),
    JSON.stringify(study.systemAttrs),
    study.createdAt,
    note.text,
    note.version,
    note.updatedAt,
  ];
}
