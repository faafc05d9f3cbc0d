import { describe, expect, it } from 'vitest';
import { bestTrial, compareEvidence, compareValues, isBetter, isRankable, rankCompleted, rankableValue } from '../../src/core/rank.js';
import type { Direction, TrialRecord, TrialState } from '../../src/core/types.js';

const DIRECTIONS: readonly Direction[] = ['minimize', 'maximize'];

function trial(number: number, state: TrialState, value: number | null, lastStep: number | null = null): TrialRecord {
  return {
    id: number + 1,
    studyId: 1,
    number,
    state,
    params: {},
    distributions: {},
    values: value === null ? null : [value],
    metrics: {},
    seed: 0,
    backend: null,
    failReason: null,
    lastStep,
    userAttrs: {},
    systemAttrs: {},
    createdAt: 0,
    startedAt: null,
    finishedAt: null,
    heartbeatAt: null,
  };
}

describe('which values are rankable', () => {
  it('finite numbers only: NaN, +Infinity and −Infinity are not', () => {
    expect([0, -1.5, 1e300, Number.MIN_VALUE].every((v) => isRankable(v))).toBe(true);
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined].some((v) => isRankable(v))).toBe(false);
    expect(rankableValue({ values: [Number.NEGATIVE_INFINITY] })).toBeNull();
    expect(rankableValue({ values: null })).toBeNull();
    expect(rankableValue({ values: [0.25, 9] })).toBe(0.25);
  });
});

describe.each(DIRECTIONS)('isBetter and compareValues when %s', (direction) => {
  const good = direction === 'minimize' ? 0.1 : 0.9;
  const bad = direction === 'minimize' ? 0.9 : 0.1;

  it('the direction decides between two finite values, and equal values are not better', () => {
    expect(isBetter(direction, good, bad)).toBe(true);
    expect(isBetter(direction, bad, good)).toBe(false);
    expect(isBetter(direction, good, good)).toBe(false);
  });

  it('a non-rankable value is never better, and loses to any rankable one — whichever infinity would have won', () => {
    for (const odd of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(isBetter(direction, odd, bad)).toBe(false);
      expect(isBetter(direction, bad, odd)).toBe(true);
      expect(isBetter(direction, odd, Number.NaN)).toBe(false);
    }
  });

  it('sorts better first and every non-rankable value last', () => {
    const sorted = [Number.NEGATIVE_INFINITY, bad, Number.NaN, good, Number.POSITIVE_INFINITY, 0.5].sort(compareValues(direction));
    expect(sorted.slice(0, 3)).toEqual([good, 0.5, bad]);
    expect(sorted.slice(3).every((v) => !isRankable(v))).toBe(true);
  });
});

describe.each(DIRECTIONS)('rankCompleted and bestTrial when %s', (direction) => {
  const beyond = direction === 'minimize' ? -5 : 5;
  const trials = [
    trial(0, 'complete', 0.5),
    trial(1, 'complete', Number.NEGATIVE_INFINITY),
    trial(2, 'complete', 0.2),
    trial(3, 'complete', Number.POSITIVE_INFINITY),
    trial(4, 'pruned', beyond, 3),
    trial(5, 'complete', 0.2),
    trial(6, 'complete', Number.NaN),
    trial(7, 'running', null),
    trial(8, 'failed', null),
    trial(9, 'complete', 0.8),
  ];
  const expected = direction === 'minimize' ? [2, 5, 0, 9] : [9, 0, 2, 5];

  it('ranks complete finite trials only, ties in trial order; a pruned trial is never ranked, however good', () => {
    expect(rankCompleted(trials, direction).map((t) => t.number)).toEqual(expected);
    expect(rankCompleted([...trials].reverse(), direction).map((t) => t.number)).toEqual(expected);
  });

  it('the best trial is the first ranked, whatever order the trials come in', () => {
    expect(bestTrial(trials, direction)?.number).toBe(expected[0]);
    expect(bestTrial([...trials].reverse(), direction)?.number).toBe(expected[0]);
    expect(bestTrial([trials[1], trials[3], trials[4], trials[6]] as TrialRecord[], direction)).toBeNull();
  });
});

describe.each(DIRECTIONS)('compareEvidence (the order TPE splits) when %s', (direction) => {
  const good = direction === 'minimize' ? 0.1 : 0.9;
  const bad = direction === 'minimize' ? 0.9 : 0.1;
  it('complete by value, then pruned by step reached and then by stored value, then the rest in number order', () => {
    const trials = [
      trial(0, 'running', null),
      trial(1, 'pruned', good, 1),
      trial(2, 'complete', bad),
      trial(3, 'pruned', bad, 3),
      trial(4, 'pruned', good, 3),
      trial(5, 'complete', Number.NEGATIVE_INFINITY),
      trial(6, 'complete', good),
      trial(7, 'pruned', null, 3),
      trial(8, 'running', null),
      trial(9, 'complete', bad),
    ];
    const order = [...trials].sort(compareEvidence(direction)).map((t) => t.number);
    expect(order).toEqual([6, 2, 9, 5, 4, 3, 7, 1, 0, 8]);
  });
});
