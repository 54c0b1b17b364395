import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

describe('severity surge signal', () => {
  it('fires on concentrated errors even before any baseline exists', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const errors = Array.from({ length: 15 }, (_, i) => `ERROR could not write to /var/lib/app/journal segment ${i}: disk full`);
    const result = await analyzer.analyze(makeWindow(T0, [...chatter(mulberry32(1), 15), ...errors]));
    const surge = result.anomalies.find((a) => a.type === 'severity_surge');
    expect(surge).toMatchObject({ severity: 'high' });
    expect(surge!.summary).toMatch(/15 of 30 lines/);
    for (const line of surge!.evidence) expect(errors).toContain(line);
    expect(result.health).toBe('degraded');
  });

  it('stays quiet on a stream that always logs that many errors', async () => {
    const rng = mulberry32(4);
    const analyzer = new EmbeddedAnalyzer({ warmup_windows: 3 });
    const noisy = () => [...chatter(rng, 20), ...Array.from({ length: 15 }, (_, i) => `ERROR mod_jk child workerEnv in error state ${i % 7}`)];
    for (let w = 0; w < 3; w++) await analyzer.analyze(makeWindow(T0 + w * MINUTE, noisy()));
    for (let w = 3; w < 10; w++) expect((await analyzer.analyze(makeWindow(T0 + w * MINUTE, noisy()))).anomalies).toEqual([]);
  });

  it('treats a few FATAL lines as critical', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const fatal = ['FATAL replica lost quorum, shutting down', 'FATAL replica lost quorum, shutting down', 'FATAL replica lost quorum, shutting down'];
    const result = await analyzer.analyze(makeWindow(T0, [...chatter(mulberry32(9), 80), ...fatal]));
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ type: 'severity_surge', severity: 'critical', evidence: [fatal[0]] });
    expect(result.health).toBe('critical');
    expect(result.score).toBeGreaterThanOrEqual(0.8);
  });

  it('ignores a handful of errors among many lines', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const result = await analyzer.analyze(makeWindow(T0, [...chatter(mulberry32(9), 80), 'ERROR one request failed', 'ERROR another request failed']));
    expect(result.anomalies).toEqual([]);
  });
});
