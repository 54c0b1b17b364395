import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../src/analysis/anomaly.js';
import type { GroundedAnomaly } from '../../../src/analysis/llm/grounding.js';
import { mergeAnomalies } from '../../../src/analysis/llm/merge.js';

const rawLines = ['GET / 200', 'ERROR payment gateway timeout after 30s', 'WARN disk 91% full on /var', 'ERROR payment gateway timeout after 30s'];

const detected: Anomaly = {
  severity: 'medium',
  type: 'error_burst',
  summary: '2 lines of template T7',
  evidence: ['ERROR payment gateway timeout after 30s'],
  recommended_action: '',
  score: 0.8,
  templates: ['T7'],
  detector: 'embedded',
  analysis: 'full',
};

const llm = (over: Partial<GroundedAnomaly>): GroundedAnomaly => ({
  severity: 'high',
  type: 'gateway_timeout',
  summary: 'The payment gateway times out; checkouts fail.',
  evidence: [rawLines[1]],
  recommended_action: 'Check the gateway status page.',
  lines: [1],
  ...over,
});

const ctx = { rawLines, llmOnlyMaxSeverity: 'high' as const };

describe('mergeAnomalies', () => {
  it('folds an LLM finding that shares evidence into the detector anomaly: one record, detector both', () => {
    const merged = mergeAnomalies([detected], [llm({})], ctx);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      detector: 'both',
      type: 'error_burst',
      templates: ['T7'],
      score: 0.8,
      severity: 'high',
      summary: 'The payment gateway times out; checkouts fail.',
      recommended_action: 'Check the gateway status page.',
      analysis: 'full',
    });
  });

  it('matches by type when evidence differs, and adds the new evidence line', () => {
    const merged = mergeAnomalies([detected], [llm({ type: 'Error Burst', evidence: [rawLines[2]], lines: [2] })], ctx);
    expect(merged).toHaveLength(1);
    expect(merged[0].evidence).toEqual([rawLines[1], rawLines[2]]);
  });

  it('keeps unrelated LLM findings as detector llm with severity capped and a severity score', () => {
    const merged = mergeAnomalies([detected], [llm({ type: 'disk_filling', severity: 'critical', evidence: [rawLines[2]], lines: [2] })], ctx);
    expect(merged).toHaveLength(2);
    expect(merged[1]).toMatchObject({ detector: 'llm', severity: 'high', score: 0.7, templates: [] });
  });

  it('never removes a detector anomaly, whatever the model says', () => {
    expect(mergeAnomalies([detected], [], ctx)).toEqual([{ ...detected, analysis: 'full' }]);
  });

  it('folds model findings about the same lines into one record', () => {
    const merged = mergeAnomalies([], [llm({}), llm({ type: 'checkout_failures', lines: [1, 3], evidence: [rawLines[1], rawLines[3]] })], ctx);
    expect(merged).toHaveLength(1);
    expect(merged[0].detector).toBe('llm');
  });

  it('does not mutate its inputs', () => {
    const copy = structuredClone(detected);
    mergeAnomalies([detected], [llm({ evidence: [rawLines[1], rawLines[2]], lines: [1, 2] })], ctx);
    expect(detected).toEqual(copy);
  });
});
