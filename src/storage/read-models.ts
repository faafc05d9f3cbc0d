import type { StepRecord, TrialRecord } from '../core/types.js';
import {
  firstValue,
  trialChangedAt,
  type ReadModels,
  type StorageCore,
  type TrialPage,
  type TrialPageQuery,
  type TrialPoint,
  type TrialPointQuery,
} from './storage.js';

/**
 * The read models derived from the core contract alone, for a backend without a query language (memory) and as
 * the reference the SQL overrides are checked against. Each reads the whole study through the core, so it costs
 * O(trials + steps) per call: fine in memory, what SQL avoids on a server.
 *
 * @example class MyStorage implements Storage { pageTrials(id, q) { return pageTrialsFrom(this, id, q); } … }
 */
export function defaultReadModels(core: StorageCore): ReadModels {
  return {
    listStepsOf: (studyId, trialIds) => stepsOfFrom(core, studyId, trialIds),
    listStepMetrics: (studyId) => stepMetricsFrom(core, studyId),
    pageTrials: (studyId, query) => pageTrialsFrom(core, studyId, query),
    listTrialPoints: (studyId, query) => trialPointsFrom(core, studyId, query),
  };
}

export async function pageTrialsFrom(core: StorageCore, studyId: number, query: TrialPageQuery): Promise<TrialPage> {
  return pageOf(await core.listTrials(studyId), query);
}

export async function trialPointsFrom(core: StorageCore, studyId: number, query: TrialPointQuery = {}): Promise<TrialPoint[]> {
  const [trials, steps] = await Promise.all([core.listTrials(studyId, query), stepCounts(core, studyId)]);
  return trials.map((t) => ({
    id: t.id,
    number: t.number,
    state: t.state,
    values: t.values,
    params: query.params ? t.params : {},
    distributions: query.params ? t.distributions : {},
    steps: steps.get(t.id) ?? 0,
  }));
}

export async function stepsOfFrom(core: StorageCore, studyId: number, trialIds: readonly number[]): Promise<Map<number, StepRecord[]>> {
  const own = new Set((await core.listTrials(studyId)).map((t) => t.id));
  const out = new Map<number, StepRecord[]>();
  for (const id of trialIds) {
    if (!own.has(id) || out.has(id)) continue;
    const steps = await core.listSteps(id);
    if (steps.length > 0) out.set(id, steps);
  }
  return out;
}

export async function stepMetricsFrom(core: StorageCore, studyId: number): Promise<string[]> {
  const names = new Set<string>();
  for (const step of (await core.listStepsSince(studyId, 0)).items) for (const name of Object.keys(step.metrics)) names.add(name);
  return [...names].sort();
}

/** How many steps each trial of the study has stored: the feed from 0 lists every step once, as it is now. */
async function stepCounts(core: StorageCore, studyId: number): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const step of (await core.listStepsSince(studyId, 0)).items) counts.set(step.trialId, (counts.get(step.trialId) ?? 0) + 1);
  return counts;
}

/** What a page can be sorted by: numbers before text; null (the trial has none) sorts last in either order. */
export type SortKey = number | string | boolean | null;

function compareKeys(a: number | string | boolean, b: number | string | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return String(a).localeCompare(String(b));
}

/**
 * A page of the trials `keep` accepts, sorted by `key` (ties by number), in memory. `changedAt` is over all of
 * `all`, filtered or not, as `pageTrials` promises.
 */
export function pageBy(
  all: readonly TrialRecord[],
  keep: (t: TrialRecord) => boolean,
  key: (t: TrialRecord) => SortKey,
  page: Pick<TrialPageQuery, 'order' | 'offset' | 'limit'>,
): TrialPage {
  const sign = page.order === 'asc' ? 1 : -1;
  const keyed = all.filter(keep).map((t) => ({ t, k: key(t) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) return a.k === b.k ? a.t.number - b.t.number : a.k === null ? 1 : -1;
    return sign * compareKeys(a.k, b.k) || a.t.number - b.t.number;
  });
  return {
    total: keyed.length,
    changedAt: all.reduce((m, t) => Math.max(m, trialChangedAt(t)), 0),
    trials: keyed.slice(page.offset, page.offset + page.limit).map(({ t }) => t),
  };
}

/** `pageTrials` in memory, for implementations without a query language. */
export function pageOf(all: readonly TrialRecord[], query: TrialPageQuery): TrialPage {
  return pageBy(
    all,
    (t) => !query.states || query.states.includes(t.state),
    (t) => (query.sort === 'number' ? t.number : firstValue(t.values)),
    query,
  );
}
