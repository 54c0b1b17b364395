import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/analyzer.js';
import { HEALTHS, SEVERITIES } from '../../src/analysis/anomaly.js';
import { Suppressor } from '../../src/sinks/notifications/suppression.js';
import { toAnomalyRecord } from '../../src/sinks/record.js';
import { anomalyRecord } from './support/helpers.js';

const schema = JSON.parse(readFileSync(new URL('../../examples/anomaly-record.schema.json', import.meta.url), 'utf8'));
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function errors(value: unknown): string {
  validate(value);
  return ajv.errorsText(validate.errors);
}

describe('examples/anomaly-record.schema.json', () => {
  it('accepts records from toAnomalyRecord for every severity, health, detector and analysis mode', () => {
    for (const severity of SEVERITIES) {
      for (const detector of ['embedded', 'llm', 'both'] as const) {
        const r = anomalyRecord({ severity, detector, analysis: detector === 'embedded' ? 'full' : 'degraded', evidence: [], templates: [] });
        expect(validate(r), errors(r)).toBe(true);
      }
    }
    for (const health of HEALTHS) {
      const result: AnalysisResult = {
        window: { stream: 'api|h', service: 'api', host: 'h', start: 0, end: 1_500, records: [], lines: 12, closedBy: 'idle' },
        health,
        score: 0,
        anomalies: [],
        analyzer: 'llm',
      };
      const r = toAnomalyRecord(result, { severity: 'low', type: 'x', summary: 's', evidence: ['e'], recommended_action: '', score: 0, templates: ['t'], detector: 'llm', analysis: 'full' });
      expect(validate(r), errors(r)).toBe(true);
    }
  });

  it('accepts a record carrying suppressed_count as the Suppressor produces it', () => {
    let t = 0;
    const s = new Suppressor(60_000, 10, () => t);
    s.check(anomalyRecord());
    s.check(anomalyRecord());
    t = 60_000;
    const d = s.check(anomalyRecord());
    expect(d.notify && d.record.anomaly.suppressed_count).toBe(1);
    expect(validate(d.notify && d.record), errors(d.notify && d.record)).toBe(true);
  });

  it('rejects records missing required fields, with wrong types, or with unknown fields', () => {
    const good = anomalyRecord();
    const broken: unknown[] = [
      { ...good, '@timestamp': 'yesterday' },
      { ...good, event: { ...good.event, kind: 'event' } },
      { ...good, event: { ...good.event, severity: '73' } },
      { ...good, anomaly: { ...good.anomaly, id: 'not-a-hash' } },
      { ...good, anomaly: { ...good.anomaly, evidence: 'one line' } },
      { ...good, anomaly: { ...good.anomaly, score: 1.5 } },
      { ...good, window: { ...good.window, lines: -1 } },
      { ...good, labels: { n: 1 } },
      { ...good, extra: true },
      (({ message: _m, ...rest }) => rest)(good),
      (({ service: _s, ...rest }) => rest)(good),
    ];
    for (const b of broken) expect(validate(b)).toBe(false);
  });
});
