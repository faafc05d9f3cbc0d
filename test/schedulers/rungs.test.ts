import { describe, expect, it } from 'vitest';
import { bracketCount, bracketMinResource, bracketSizes, promotable, rungIndex, rungSteps } from '../../src/schedulers/rungs.js';

describe('successive halving and Hyperband arithmetic', () => {
  it('places rungs at r·η^k below the maximum', () => {
    expect(rungSteps(1, 3, 27)).toEqual([1, 3, 9]);
    expect(rungSteps(2, 2, 20)).toEqual([2, 4, 8, 16]);
    expect(rungSteps(27, 3, 27)).toEqual([]);
    expect(rungIndex(9, 1, 3, 27)).toBe(2);
    expect(rungIndex(5, 1, 3, 27)).toBe(-1);
  });

  it("sizes brackets as Li et al.'s Hyperband does", () => {
    // R = 27, η = 3: s_max = 3; n_s = ⌈4/(s+1)·3^s⌉ = 27, 12, 6, 4 for s = 3, 2, 1, 0.
    expect(bracketCount(1, 3, 27)).toBe(4);
    expect(bracketSizes(1, 3, 27)).toEqual([27, 12, 6, 4]);
    expect([0, 1, 2, 3].map((b) => bracketMinResource(b, 1, 3))).toEqual([1, 3, 9, 27]);
    expect(bracketSizes(1, 2, 8)).toEqual([8, 6, 4, 4]);
  });

  it('promotes the top 1/η, only the best while fewer than η have reported, and gives ties to the earlier', () => {
    expect(promotable(0.2, [0.2], 3, 'minimize')).toBe(true);
    expect(promotable(0.5, [0.2, 0.5], 3, 'minimize')).toBe(false);
    const six = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    expect(promotable(0.2, six, 3, 'minimize')).toBe(true);
    expect(promotable(0.3, six, 3, 'minimize')).toBe(false);
    expect(promotable(0.5, six, 3, 'maximize')).toBe(true);
    expect(promotable(0.4, six, 3, 'maximize')).toBe(false);
    expect(promotable(Number.NaN, six, 3, 'minimize')).toBe(false);
    // Three earlier trials at 0.9 accuracy hold the single slot of four: a fourth 0.9 does not pass.
    expect(promotable(0.9, [0.9, 0.9, 0.9, 0.9], 3, 'maximize')).toBe(false);
    expect(promotable(0.95, [0.9, 0.9, 0.9, 0.95], 3, 'maximize')).toBe(true);
  });
});
