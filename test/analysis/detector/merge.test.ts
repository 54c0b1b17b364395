import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { mergeSignals } from '../../../src/analysis/detector/merge.js';
import type { Signal } from '../../../src/analysis/detector/signal.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

const sig = (type: string, score: number, templates: string[], evidence: string[]): Signal => ({
  type, score, templates, evidence, severity: 'medium', summary: `${type} happened.`, recommended_action: 'Look.',
});

describe('merging signals', () => {
  it('keeps the most specific of signals sharing a template, with the others’ templates, evidence, worst severity and top score', () => {
    const surge = { ...sig('severity_surge', 0.7, ['t1', 't2'], ['b', 'a']), severity: 'high' as const };
    const out = mergeSignals([sig('new_template', 0.5, ['t1'], ['a']), surge, sig('timeout', 0.45, ['t9'], ['z'])]);
    expect(out.map((s) => s.type)).toEqual(['new_template', 'timeout']);
    expect(out[0]).toMatchObject({ severity: 'high', score: 0.7, summary: 'new_template happened.', templates: ['t1', 't2'], evidence: ['a', 'b'] });
  });

  it('keeps the named failure over the error rate it raised (an OOM that also lifted the errors)', () => {
    const errorRate = { ...sig('error_rate', 0.75, ['t1', 't2'], ['e']), severity: 'high' as const };
    const oom = { ...sig('out_of_memory', 0.62, ['t2'], ['oom']), severity: 'critical' as const, recommended_action: 'Check memory limits.' };
    const out = mergeSignals([errorRate, oom]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ type: 'out_of_memory', severity: 'critical', recommended_action: 'Check memory limits.', score: 0.75 });
  });

  it('merges login findings of one window even without a shared template, keeping invalid_user', () => {
    const out = mergeSignals([sig('failed_authentication', 0.5, ['t1'], ['f']), sig('invalid_user', 0.45, ['t2'], ['i']), sig('timeout', 0.4, ['t3'], ['z'])]);
    expect(out.map((s) => s.type)).toEqual(['invalid_user', 'timeout']);
    expect(out[0].evidence).toEqual(['i', 'f']);
  });

  it('merges transitively and caps evidence at five lines', () => {
    const out = mergeSignals([
      sig('a', 0.3, ['t1'], ['1', '2', '3']),
      sig('rate_spike', 0.6, ['t2'], ['4', '5']),
      sig('c', 0.4, ['t1', 't2'], ['6', '7']),
    ]);
    expect(out).toHaveLength(1);
    // a and c are equally specific (custom vocabulary names): the stronger one leads.
    expect(out[0].type).toBe('c');
    expect(out[0].score).toBe(0.6);
    expect(out[0].evidence).toHaveLength(5);
  });

  it('gives one anomaly for a burst that is new, concentrated and in the vocabulary at once', async () => {
    const rng = mulberry32(6);
    const analyzer = new EmbeddedAnalyzer({ warmup_windows: 3 });
    for (let w = 0; w < 3; w++) await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 40)));
    const errors = Array.from({ length: 20 }, (_, i) => `ERROR HikariPool-1 - Connection is not available, connection pool exhausted (request ${i})`);
    const result = await analyzer.analyze(makeWindow(T0 + 3 * MINUTE, [...chatter(rng, 20), ...errors]));
    expect(result.anomalies).toHaveLength(1);
    // The vocabulary hit is the most specific, so its action is the one kept.
    expect(result.anomalies[0].type).toBe('connection_pool_exhausted');
    expect(result.anomalies[0].recommended_action).toMatch(/connection pool size/);
    expect(result.anomalies[0].evidence.every((l) => errors.includes(l))).toBe(true);
  });
});
