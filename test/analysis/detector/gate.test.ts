import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { decideGate, windowHealth } from '../../../src/analysis/detector/gate.js';
import { T0, makeWindow, mulberry32 } from './support.js';

describe('gate', () => {
  const gate = { threshold: 0.4, sample_rate: 0.05 };

  it('sends windows at or above the threshold without drawing', () => {
    let draws = 0;
    const rng = () => (draws++, 0);
    expect(decideGate(0.4, gate, rng)).toEqual({ send: true, score: 0.4, threshold: 0.4, reason: 'score' });
    expect(decideGate(0.93, gate, rng).reason).toBe('score');
    expect(draws).toBe(0);
  });

  it('samples about sample_rate of quiet windows, reproducibly with a seeded rng', () => {
    const run = (seed: number) => {
      const rng = mulberry32(seed);
      return Array.from({ length: 10_000 }, () => decideGate(0.1, gate, rng).reason);
    };
    const a = run(42);
    const sampled = a.filter((r) => r === 'sample').length;
    expect(sampled).toBeGreaterThan(400);
    expect(sampled).toBeLessThan(600);
    expect(a.filter((r) => r === 'below').length).toBe(10_000 - sampled);
    expect(run(42)).toEqual(a);
  });

  it('never samples with sample_rate 0', () => {
    expect(decideGate(0, { threshold: 0.4, sample_rate: 0 }, () => 0)).toMatchObject({ send: false, reason: 'below' });
  });

  it('derives health from the strongest anomaly', () => {
    expect(windowHealth([])).toBe('normal');
    expect(windowHealth([{ severity: 'low' }])).toBe('normal');
    expect(windowHealth([{ severity: 'low' }, { severity: 'medium' }])).toBe('degraded');
    expect(windowHealth([{ severity: 'high' }])).toBe('degraded');
    expect(windowHealth([{ severity: 'medium' }, { severity: 'critical' }])).toBe('critical');
  });

  it('is exposed on every analyzer result with the configured threshold', async () => {
    const analyzer = new EmbeddedAnalyzer({ gate: { threshold: 0.9, sample_rate: 0.5 } }, { rng: mulberry32(1) });
    const reasons = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await analyzer.analyze(makeWindow(T0 + i * 60_000, ['INFO ok 1', 'INFO ok 2']));
      expect(r.gate).toMatchObject({ threshold: 0.9, score: 0 });
      reasons.add(r.gate!.reason);
    }
    expect([...reasons].sort()).toEqual(['below', 'sample']);
  });
});
