import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/core/types.js';
import { timeline } from '../../src/server/analysis/timeline.js';
import { call, seededApp } from './seed.js';

function trial(number: number, startedAt: number | null, finishedAt: number | null, state: TrialRecord['state'] = 'complete'): TrialRecord {
  return {
    id: number + 1,
    studyId: 1,
    number,
    state,
    params: {},
    distributions: {},
    values: [0],
    metrics: {},
    seed: 0,
    backend: null,
    failReason: null,
    lastStep: null,
    userAttrs: {},
    systemAttrs: {},
    createdAt: 0,
    startedAt,
    finishedAt,
    heartbeatAt: null,
  } as unknown as TrialRecord;
}

describe('trial timeline', () => {
  it('puts trials on as many lanes as ran at once, each on the lowest lane free at its start', () => {
    // Two workers: 0 and 1 start together; 2 takes the lane 0 frees at 4; 3 takes lane 1, free from 5; 4 follows 3.
    const trials = [
      trial(0, 0, 4),
      trial(1, 0, 5),
      trial(2, 4, 9),
      trial(3, 5, 7),
      trial(4, 7, null, 'running'),
      trial(5, null, null, 'waiting'),
    ];
    const { bars, lanes } = timeline(trials, 12);
    expect(lanes).toBe(2);
    expect(bars.map((b) => [b.number, b.lane])).toEqual([
      [0, 0],
      [1, 1],
      [2, 0],
      [3, 1],
      [4, 1],
    ]);
    expect(bars.find((b) => b.number === 4)?.end).toBe(12);
    // Three trials overlapping at one moment need three lanes.
    expect(timeline([trial(0, 0, 10), trial(1, 1, 10), trial(2, 2, 10)], 20).lanes).toBe(3);
  });

  it('is served per study, bounded, with every started trial on a lane', async () => {
    const { app } = await seededApp();
    const res = await call(app, '/api/studies/small/timeline');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { bars: { lane: number; start: number; end: number }[]; lanes: number; truncated: boolean };
    expect(body.bars.length).toBe(20);
    expect(body.truncated).toBe(false);
    expect(body.bars.every((b) => b.lane >= 0 && b.lane < body.lanes && b.end >= b.start)).toBe(true);
    expect((await call(app, '/api/studies/nope/timeline')).status).toBe(404);
  });
});
