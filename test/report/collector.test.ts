/**
 * ReportCollector's bookkeeping, fed by hand: routing and suppression replayed
 * on the anomalies' own clock, counts per day, streams and level buckets,
 * late and future-dated records, templates with numeric spreads, and the LLM
 * gate rows priced at the given rate.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/analyzer.js';
import type { Anomaly } from '../../src/analysis/anomaly.js';
import { LookoutConfigSchema } from '../../src/config/schema.js';
import { ReportCollector } from '../../src/report/collector.js';
import { toAnomalyRecord } from '../../src/sinks/record.js';
import { normalize } from '../../src/sources/normalize.js';
import type { Window } from '../../src/windows/window.js';

const T0 = Date.UTC(2025, 5, 1, 0, 0, 0);
const MIN = 60_000;

function config(extra: object = {}) {
  return LookoutConfigSchema.parse({ notifications: { slack: { webhook_url: 'http://127.0.0.1:9/hook' }, suppression_minutes: 20 }, ...extra });
}

function window(start: number, records = 0): Window {
  return { stream: 'api|web-1', service: 'api', host: 'web-1', start, end: start + 5 * MIN, records: Array.from({ length: records }, () => normalize({ message: 'x' }, { source: 'file', observedAt: start })), lines: records, closedBy: 'time' };
}

function anomaly(severity: Anomaly['severity'], type = 'rate_spike'): Anomaly {
  return { severity, type, summary: `${type} summary`, evidence: ['ERROR db timeout after 5000ms'], recommended_action: 'look', score: 0.7, templates: ['t1'], detector: 'embedded', analysis: 'full' };
}

function result(w: Window, anomalies: Anomaly[], score: number): AnalysisResult {
  return { window: w, health: 'normal', score, anomalies, analyzer: 'embedded', view: 'v'.repeat(400) };
}

describe('ReportCollector', () => {
  it('replays routing and suppression on the anomalies clock and counts per day', () => {
    const c = new ReportCollector(config(), { title: 't', pricePerMillionTokens: 2, now: () => T0 });
    const at = (minutes: number, a: Anomaly) => toAnomalyRecord(result(window(T0 + minutes * MIN), [a], a.score), a, {}, T0);
    // Same service, type and template: the second (10 min later) is held back, the third (45 min later) is sent.
    c.addAnomalies([at(0, anomaly('high')), at(10, anomaly('high')), at(45, anomaly('high'))]);
    c.addAnomalies([at(24 * 60 + 5, anomaly('critical', 'out_of_memory'))]);
    const data = c.finish([]);
    expect(data.anomalies.map((a) => [a.severity, a.suppressed, a.channels])).toEqual([
      ['high', false, [{ name: 'slack', configured: true }]],
      ['high', true, [{ name: 'slack', configured: true }]],
      ['high', false, [{ name: 'slack', configured: true }]],
      ['critical', false, [{ name: 'pagerduty', configured: false }]],
    ]);
    expect(data.perDay).toEqual([
      { day: '2025-06-01', bySeverity: { low: 0, medium: 0, high: 3, critical: 0 }, byChannel: { slack: 2 }, suppressed: 1 },
      { day: '2025-06-02', bySeverity: { low: 0, medium: 0, high: 0, critical: 1 }, byChannel: { pagerduty: 1 }, suppressed: 0 },
    ]);
  });

  it('buckets records per stream and level, counts late and future-dated ones, and mines templates with numeric spreads', () => {
    const c = new ReportCollector(config(), { title: 't', pricePerMillionTokens: 1 });
    const rec = (t: number, level: string, message: string, host = 'web-1') => normalize({ timestamp: t, level, message, service: 'api', host }, { source: 'file', observedAt: T0 + 60 * MIN });
    const batch = [];
    for (let i = 0; i < 50; i++) batch.push(rec(T0 + i * MIN, i % 10 === 0 ? 'error' : 'info', `request ${i} took ${10 + i}ms`));
    batch.push(rec(T0 + 2 * MIN, 'warn', 'late line from the past'));
    batch.push(rec(T0 + 200 * MIN, 'info', 'clock ahead'));
    batch.push(rec(T0, 'debug', 'other host', 'web-2'));
    c.addRecords(batch);
    const data = c.finish([]);
    expect(data.quality).toMatchObject({ records: 53, late: 1, future: 1, streams: 2 });
    const api = data.streams.find((s) => s.stream === 'api|web-1')!;
    expect(api.records).toBe(52);
    expect(api.levels.error.reduce((a, b) => a + b, 0)).toBe(5);
    expect(api.levels.warn.reduce((a, b) => a + b, 0)).toBe(1);
    expect(api.times[1] - api.times[0]).toBe(data.bucketMs);
    const busiest = data.templates.spreads[0];
    expect(busiest.count).toBe(50);
    expect(busiest.params.map((p) => [p.token, p.min, p.max, p.samples])).toEqual([
      ['<num>', 0, 49, 50],
      ['<dur>', 10, 59, 50],
    ]);
  });

  it('prices the LLM gate rows: windows at or above each threshold, plus the quiet-window sample, at the given price', () => {
    const c = new ReportCollector(config({ analysis: { detector: { gate: { threshold: 0.4, sample_rate: 0 } } } }), { title: 't', pricePerMillionTokens: 10 });
    for (let day = 0; day < 2; day++) {
      for (const score of [0.1, 0.3, 0.5, 0.9]) c.addResult(result(window(T0 + day * 86_400_000 + score * 1000, 20), [], score));
    }
    c.addRecords([normalize({ timestamp: T0, message: 'a' }, { source: 'file', observedAt: T0 }), normalize({ timestamp: T0 + 2 * 86_400_000, message: 'b' }, { source: 'file', observedAt: T0 })]);
    const gate = c.finish([]).whatIf.gate;
    expect(gate.map((g) => [g.threshold, g.current, g.windowsPerDay])).toEqual([
      [0.2, false, 3],
      [0.4, true, 2],
      [0.6, false, 1],
      [0.8, false, 1],
    ]);
    for (const g of gate) expect(g.costPerDay).toBeCloseTo((g.tokensPerDay * 10) / 1e6, 2);
    expect(gate[1].tokensPerDay).toBeGreaterThan(2 * 250);
  });
});

describe('renderReport', () => {
  it('embeds hostile log text as inert JSON: it cannot close the data element or add markup', async () => {
    const { renderReport } = await import('../../src/report/html.js');
    const c = new ReportCollector(config(), { title: 'Report <b>x</b>', pricePerMillionTokens: 1 });
    const hostile = '</script><script>alert(1)</script><!-- \u2028';
    const a = { ...anomaly('high'), summary: hostile, evidence: [hostile] };
    c.addAnomalies([toAnomalyRecord(result(window(T0), [a], 0.7), a, {}, T0)]);
    const html = renderReport(c.finish([]));
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('<title>Report &#60;b&#62;x&#60;/b&#62;</title>');
    const json = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1];
    expect(JSON.parse(json).anomalies[0].summary).toBe(hostile);
  });
});
