import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../../src/analysis/analyzer.js';
import type { Anomaly } from '../../../src/analysis/anomaly.js';
import { toAnomalyRecord, type AnomalyRecord } from '../../../src/sinks/record.js';
import { NO_ANOMALIES, renderAnomalyTable, renderSummary, sanitizeCell } from '../../../src/sinks/stdout/table.js';

function record(over: Partial<Anomaly> & { service?: string; host?: string; end?: number } = {}): AnomalyRecord {
  const { service = 'payments', host = 'web-1', end = Date.UTC(2024, 4, 1, 12, 5), ...anomaly } = over;
  const result: AnalysisResult = {
    window: { stream: `${service}|${host}`, service, host, start: end - 60_000, end, records: [], lines: 0, closedBy: 'time' },
    health: 'degraded',
    score: 0.9,
    anomalies: [],
    analyzer: 'embedded',
  };
  return toAnomalyRecord(result, {
    severity: 'high',
    type: 'error_burst',
    summary: 'Error rate jumped from 0.1% to 12% after deploy',
    evidence: ['2024-05-01T12:04:59 ERROR payments connection refused to db-1:5432'],
    recommended_action: 'check db',
    score: 0.9,
    templates: ['t1'],
    detector: 'embedded',
    analysis: 'full',
    ...anomaly,
  });
}

describe('renderAnomalyTable', () => {
  it('shows time, severity, service, host, type, summary and the top evidence line', () => {
    const out = renderAnomalyTable([record()], { width: 160 });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+SEVERITY\s+SERVICE\s+HOST\s+TYPE\s+SUMMARY$/);
    expect(lines[1]).toContain('2024-05-01 12:05:00');
    expect(lines[1]).toContain('high');
    expect(lines[1]).toContain('payments');
    expect(lines[1]).toContain('web-1');
    expect(lines[1]).toContain('error_burst');
    expect(lines[1]).toContain('Error rate jumped from 0.1% to 12% after deploy');
    expect(lines[2]).toContain('↳ 2024-05-01T12:04:59 ERROR payments connection refused to db-1:5432');
    expect(lines[1].indexOf('payments')).toBe(lines[0].indexOf('SERVICE'));
  });

  it('cuts every line to the width with an ellipsis', () => {
    const long = record({ summary: 'x'.repeat(500), evidence: ['e'.repeat(500)] });
    for (const width of [60, 80, 100]) {
      const lines = renderAnomalyTable([long, record()], { width }).trimEnd().split('\n');
      expect(lines.every((l) => l.length <= width)).toBe(true);
      expect(lines[1].endsWith('…')).toBe(true);
    }
  });

  it('sorts rows by time and strips control characters from log text', () => {
    const late = record({ summary: 'late', end: Date.UTC(2024, 4, 1, 13) });
    const early = record({ summary: 'early\u001b[2J\r\nmore', end: Date.UTC(2024, 4, 1, 11), evidence: ['bad\u0007bell'] });
    const out = renderAnomalyTable([late, early], { width: 200 });
    expect(out.indexOf('early')).toBeLessThan(out.indexOf('late'));
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u0007');
    expect(out).toContain('early [2J more');
    expect(sanitizeCell('a\tb\n\nc')).toBe('a b c');
  });

  it('colours severities only when asked, keeping visible width', () => {
    const plain = renderAnomalyTable([record({ severity: 'critical' })], { width: 70 });
    const coloured = renderAnomalyTable([record({ severity: 'critical' })], { width: 70, color: true });
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[1;31mcritical');
    const visible = coloured.replace(/\u001b\[[\d;]*m/g, '');
    expect(visible).toBe(plain);
  });

  it('says so when there are no anomalies, and omits the evidence line when there is none', () => {
    expect(renderAnomalyTable([])).toBe(NO_ANOMALIES);
    expect(renderAnomalyTable([record({ evidence: [] })]).trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('renderSummary', () => {
  it('counts anomalies by severity, most severe first', () => {
    expect(renderSummary({ records: 12000, windows: 48, bySeverity: { high: 2, critical: 1 }, elapsedMs: 1430, format: 'plain' })).toBe(
      '12,000 records, 48 windows, format plain, 1.4 s: 3 anomalies (1 critical, 2 high)\n',
    );
    expect(renderSummary({ records: 3, windows: 1, bySeverity: {} })).toBe('3 records, 1 windows: no anomalies\n');
  });
});
