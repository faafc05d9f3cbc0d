import type { StudyStep } from '../storage.js';
import type { ArtifactRecord, StepRecord, StudyRecord, StudyState, TrialRecord, TrialState } from '../../core/types.js';

export interface StudyRow {
  id: number;
  name: string;
  directions: string;
  config: string;
  state: string;
  user_attrs: string;
  system_attrs: string;
  created_at: number;
}

export interface TrialRow {
  id: number;
  study_id: number;
  number: number;
  state: string;
  params: string;
  distributions: string;
  values: string | null;
  metrics: string;
  seed: number;
  backend: string | null;
  fail_reason: string | null;
  last_step: number | null;
  user_attrs: string;
  system_attrs: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  heartbeat_at: number | null;
}

export interface StepRow {
  step: number;
  metrics: string;
  recorded_at: number;
}

/** A step row as the change feed reads it. */
export interface StudyStepRow extends StepRow {
  trial_id: number;
  number: number;
  change_seq: number;
}

export interface ArtifactRow {
  id: number;
  trial_id: number;
  kind: string;
  uri: string;
  bytes: number | null;
  created_at: number;
}

export function toStudy(row: StudyRow): StudyRecord {
  return {
    id: row.id,
    name: row.name,
    directions: JSON.parse(row.directions),
    config: JSON.parse(row.config),
    state: row.state as StudyState,
    userAttrs: JSON.parse(row.user_attrs),
    systemAttrs: JSON.parse(row.system_attrs),
    createdAt: row.created_at,
  };
}

// JSON cannot hold NaN or ±Infinity; metrics may (a diverged loss), so they travel as tagged strings.
function reviveNumber(_key: string, value: unknown): unknown {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}

/** JSON.stringify that keeps non-finite numbers (see reviveNumber). */
export function stringifyNumbers(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

export function parseNumbers<T>(text: string): T {
  // The reviver is slow; text without a string in it (a plain array of values) cannot hold a tagged number.
  return (text.includes('"') ? JSON.parse(text, reviveNumber) : JSON.parse(text)) as T;
}

export function toTrial(row: TrialRow): TrialRecord {
  return {
    id: row.id,
    studyId: row.study_id,
    number: row.number,
    state: row.state as TrialState,
    params: JSON.parse(row.params),
    distributions: JSON.parse(row.distributions),
    values: row.values === null ? null : parseNumbers(row.values),
    metrics: parseNumbers(row.metrics),
    seed: row.seed,
    backend: row.backend,
    failReason: row.fail_reason,
    lastStep: row.last_step,
    userAttrs: JSON.parse(row.user_attrs),
    systemAttrs: JSON.parse(row.system_attrs),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    heartbeatAt: row.heartbeat_at,
  };
}

export function toStep(row: StepRow): StepRecord {
  return { step: row.step, metrics: parseNumbers(row.metrics), recordedAt: row.recorded_at };
}

export function toStudyStep(row: StudyStepRow): StudyStep {
  return { ...toStep(row), trialId: row.trial_id, trialNumber: row.number };
}

export function toArtifact(row: ArtifactRow): ArtifactRecord {
  return { id: row.id, trialId: row.trial_id, kind: row.kind, uri: row.uri, bytes: row.bytes, createdAt: row.created_at };
}
