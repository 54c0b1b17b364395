import { describe, expect, it } from 'vitest';
import { binomialTail, steadyRateChance } from '../../../src/analysis/detector/chance.js';

describe('steady-rate chance', () => {
  it('computes binomial upper tails exactly where they are small', () => {
    // P(X >= 2) for X ~ Bin(3, 0.1) = 3·0.01·0.9 + 0.001.
    expect(binomialTail(3, 2, 0.1)).toBeCloseTo(0.028, 12);
    expect(binomialTail(10, 10, 0.5)).toBeCloseTo(1 / 1024, 12);
    expect(binomialTail(5, 6, 0.3)).toBe(0);
    expect(binomialTail(5, 0, 0.3)).toBe(1);
    // At or below the mean no threshold cares: reported as 1.
    expect(binomialTail(100, 10, 0.2)).toBe(1);
  });

  it('is (window share)^count for a never-seen shape', () => {
    expect(steadyRateChance(0, 1, 20, 980)).toBeCloseTo(0.02, 12);
    expect(steadyRateChance(0, 3, 20, 980)).toBeCloseTo(0.02 ** 3, 12);
  });

  it('is large for a line returning at its usual pace and small after a long absence or in a burst', () => {
    // Eight earlier lines in 9,600, one more in a window of 100: its usual pace.
    expect(steadyRateChance(8, 1, 100, 9600)).toBeGreaterThan(0.05);
    // One earlier line in 200,000, back in a window of 100.
    expect(steadyRateChance(1, 1, 100, 200_000)).toBeLessThan(0.001);
    // Eight earlier lines, then five in one window.
    expect(steadyRateChance(8, 5, 100, 9600)).toBeLessThan(0.001);
  });
});
