import { describe, expect, it } from 'vitest';
import { groundAnswer } from '../../../src/analysis/llm/grounding.js';
import type { LlmAnswer } from '../../../src/analysis/llm/schema.js';

const lines = [
  'GET /health 200',
  'ERROR db pool exhausted: 50/50 connections in use',
  'login failed for <EMAIL_1> from 10.0.0.7',
  'ERROR db pool exhausted: 50/50 connections in use',
];

const answer = (anomalies: LlmAnswer['anomalies'], total = 4): LlmAnswer => ({ anomalies, window_health: 'degraded', total_lines_analyzed: total });
const anomaly = (evidence: string[], severity: 'low' | 'medium' | 'high' | 'critical' = 'high') => ({
  severity,
  type: 'db_pool_exhausted',
  summary: 'pool exhausted',
  evidence,
  recommended_action: 'raise pool size',
});

describe('groundAnswer', () => {
  it('keeps verbatim evidence and reports the line it is', () => {
    const g = groundAnswer(answer([anomaly(['ERROR db pool exhausted: 50/50 connections in use'])]), lines, 10);
    expect(g.anomalies[0].evidence).toEqual(['ERROR db pool exhausted: 50/50 connections in use']);
    expect(g.anomalies[0].lines).toEqual([1]);
    expect(g.evidenceRemoved).toBe(0);
  });

  it('replaces fragments, prefixed quotes and template quotes with the real line', () => {
    const g = groundAnswer(
      answer([anomaly(['db pool exhausted: 50/50', '2024-06-10T12:00:00Z   login failed for <EMAIL_1> from 10.0.0.7', 'ERROR db pool exhausted: <*>/50 connections in use'])]),
      lines,
      10,
    );
    expect(g.anomalies[0].evidence).toEqual([lines[1], lines[2]]);
    const masked = groundAnswer(answer([anomaly(['  > login failed for <EMAIL_1> from <ip>'])]), lines, 10);
    expect(masked.anomalies[0].evidence).toEqual([lines[2]]);
    const viewRow = groundAnswer(answer([anomaly(['- t75d22fa x2 12:00:01-12:00:03: ERROR db pool exhausted: <num>/<num> connections in use'])]), lines, 10);
    expect(viewRow.anomalies[0].evidence).toEqual([lines[1]]);
  });

  it('removes invented evidence and drops an anomaly left with none', () => {
    const g = groundAnswer(
      answer([anomaly(['kernel: panic - not syncing', lines[1]]), anomaly(['segfault at 0000 ip 00007f'], 'critical'), anomaly(['ERROR'])]),
      lines,
      10,
    );
    expect(g.anomalies).toHaveLength(1);
    expect(g.anomalies[0].evidence).toEqual([lines[1]]);
    expect(g.evidenceRemoved).toBe(3);
    expect(g.anomaliesDropped).toBe(2);
  });

  it('refuses wildcard-only templates as proof', () => {
    expect(groundAnswer(answer([anomaly(['<*> <*>'])]), lines, 10).anomalies).toHaveLength(0);
  });

  it('downgrades an anomaly that quoted nothing to low', () => {
    const g = groundAnswer(answer([anomaly([], 'critical')]), lines, 10);
    expect(g.anomalies[0].severity).toBe('low');
    expect(g.anomaliesDowngraded).toBe(1);
  });

  it('clamps the claimed line count to the window', () => {
    expect(groundAnswer(answer([], 100_000), lines, 10).totalLinesAnalyzed).toBe(4);
    expect(groundAnswer(answer([], 3), lines, 10).totalLinesAnalyzed).toBe(3);
  });

  it('caps the number of anomalies, keeping the most severe', () => {
    const many = [anomaly([lines[0]], 'low'), anomaly([lines[1]], 'critical'), anomaly([lines[2]], 'medium')];
    const g = groundAnswer(answer(many), lines, 2);
    expect(g.anomalies.map((a) => a.severity)).toEqual(['critical', 'medium']);
    expect(g.anomaliesDropped).toBe(1);
  });
});
