import type { StudyConfig } from '../space/schema.js';

/**
 * The part of a study's config that must not change when it is resumed: space, objective, data, training, and —
 * for a study that trains models — the seed, which draws the data split. Worker limits are left out: they decide
 * how trials are run, not what they compute, and a study stored before they existed must still open.
 */
export function definitionOf(config: StudyConfig): Record<string, unknown> {
  const { workerMemoryMb: _memory, workerMaxTrials: _trials, ...training } = config.training;
  return {
    space: config.space,
    objective: config.objective,
    data: config.data ?? null,
    training,
    ...(config.data ? { search: { seed: config.search.seed } } : {}),
  };
}

const SHOWN_CHANGES = 6;

/**
 * What differs between two JSON values, one `path: before → after` line per changed leaf (arrays compare whole,
 * an absent key reads `(none)`), in the order of the keys.
 *
 * @example jsonChanges({ a: { int: [16, 256] } }, { a: { int: [32, 512] } }, 'space') // ['space.a.int: [16,256] → [32,512]']
 */
export function jsonChanges(before: unknown, after: unknown, path = ''): string[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => jsonChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [`${path || '(root)'}: ${shown(before)} → ${shown(after)}`];
}

/** The changes as one line, the first few in full and a count of the rest. */
export function summarizeChanges(changes: readonly string[]): string {
  const more = changes.length - SHOWN_CHANGES;
  return changes.slice(0, SHOWN_CHANGES).join('; ') + (more > 0 ? `; … ${more} more` : '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A changed 10 KB choice list must not make a 10 KB message.
function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
