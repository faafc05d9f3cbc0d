import type { StudyRecord, TrialRecord } from '../core/types.js';
import { trialChangedAt, type StudySummary } from '../storage/storage.js';
import { bestTrial, rankableValue } from '../core/rank.js';

/** When a trial last changed as far as storage tells: created, started, reported (heartbeat) or finished. */
export const trialStamp = trialChangedAt;

/** A trial as listed in tables and live updates: no distributions or attributes. */
export function trialRow(t: TrialRecord) {
  return {
    number: t.number,
    state: t.state,
    value: rankableValue(t),
    values: t.values,
    params: t.params,
    metrics: t.metrics,
    backend: t.backend,
    failReason: t.failReason,
    lastStep: t.lastStep,
    createdAt: t.createdAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    durationMs: t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : null,
    stamp: trialStamp(t),
  };
}

interface SearchConfig {
  search?: { sampler?: unknown; scheduler?: unknown };
  objective?: { metric?: unknown };
}

function kindOf(setting: unknown): string | null {
  if (typeof setting === 'string') return setting;
  if (setting && typeof setting === 'object' && typeof (setting as { type?: unknown }).type === 'string')
    return (setting as { type: string }).type;
  return null;
}

/** The objective metric of a study's definition, when it names one. */
export function objectiveMetric(study: StudyRecord): string | undefined {
  const metric = (study.config as SearchConfig | null)?.objective?.metric;
  return typeof metric === 'string' ? metric : undefined;
}

/** The study's scheduler type (`asha`, `hyperband`, …) from its definition, or null. */
export function schedulerOf(study: StudyRecord): string | null {
  return kindOf((study.config as SearchConfig | null)?.search?.scheduler);
}

/** A study as the studies list shows it. */
export function studyRow(study: StudySummary, trials: readonly TrialRecord[]) {
  const config = (study.config ?? {}) as SearchConfig;
  const direction = study.directions[0] ?? 'minimize';
  const best = bestTrial(trials, direction);
  return {
    name: study.name,
    state: study.state,
    direction,
    metric: objectiveMetric(study) ?? null,
    counts: study.counts,
    trials: Object.values(study.counts).reduce((a, b) => a + b, 0),
    best: best ? { number: best.number, value: rankableValue(best) } : null,
    sampler: kindOf(config.search?.sampler),
    scheduler: kindOf(config.search?.scheduler),
    createdAt: study.createdAt,
  };
}
