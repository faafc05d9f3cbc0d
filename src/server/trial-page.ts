import type { TrialState } from '../core/types.js';
import type { Storage, TrialPage } from '../storage/storage.js';
import { fieldNames, pageByAnyField, parseField, parseWhere, type Issue } from './analysis/trial-filter.js';

export interface TrialPageRequest {
  readonly state?: readonly TrialState[];
  /** `number`, `value`, another column, or any parameter or final metric (see `parseField`). */
  readonly sort: string;
  readonly order: 'asc' | 'desc';
  /** Conditions such as `lr < 0.01, activation = relu` (see `parseWhere`). */
  readonly where?: string;
  readonly offset: number;
  readonly limit: number;
}

/**
 * The trial table's page. Number and value orders without conditions are sorted by storage (its indexes serve
 * studies of any size); sorting by a parameter or metric, or filtering, reads the study's trials once.
 * Issues name the query parameter each problem is in.
 */
export async function trialPage(storage: Storage, studyId: number, request: TrialPageRequest): Promise<TrialPage | Issue[]> {
  const { state, sort, order, where, offset, limit } = request;
  if ((sort === 'number' || sort === 'value') && where === undefined)
    return storage.pageTrials(studyId, { states: state, sort, order, offset, limit });
  const all = await storage.listTrials(studyId);
  const names = fieldNames(all);
  const field = parseField(sort, names);
  const parsed = where === undefined ? { conditions: [], issues: [] } : parseWhere(where, names);
  const issues = [...(typeof field === 'string' ? [{ path: 'query.sort', message: field }] : []), ...parsed.issues];
  if (issues.length || typeof field === 'string') return issues;
  return pageByAnyField(all, { states: state, where: parsed.conditions, sort: field, order, offset, limit });
}
