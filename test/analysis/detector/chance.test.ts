import { describe, expect, it } from 'vitest';
import { binomialTail, poissonLowerTail, poissonUpperTail, steadyRateChance } from '../../../src/analysis/detector/chance.js';

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

describe('Poisson tails', () => {
  it('computes upper tails exactly where they are small', () => {
    // P(X >= 3) for X ~ Poisson(1) = 1 − e^-1 (1 + 1 + 1/2).
    expect(poissonUpperTail(1, 3)).toBeCloseTo(1 - Math.exp(-1) * 2.5, 12);
    // P(X >= 12) for Poisson(4): about one in a thousand, while P(X >= 40) is astronomically small.
    expect(poissonUpperTail(4, 12)).toBeCloseTo(9.15e-4, 6);
    expect(poissonUpperTail(4, 40)).toBeLessThan(1e-20);
    expect(poissonUpperTail(0, 1)).toBe(0);
    expect(poissonUpperTail(3, 0)).toBe(1);
    expect(poissonUpperTail(5, 4)).toBe(1);
  });

  it('computes lower tails exactly where they are small', () => {
    expect(poissonLowerTail(20, 2)).toBeCloseTo(Math.exp(-20) * (1 + 20 + 200), 20);
    expect(poissonLowerTail(5, 0)).toBeCloseTo(Math.exp(-5), 15);
    expect(poissonLowerTail(5, 6)).toBe(1);
    expect(poissonLowerTail(5, -1)).toBe(0);
  });
});
