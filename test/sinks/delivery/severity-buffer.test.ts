import { describe, expect, it } from 'vitest';
import { SeverityBuffer } from '../../../src/sinks/delivery/severity-buffer.js';
import { anomalyRecord } from '../support/helpers.js';

describe('SeverityBuffer', () => {
  it('returns records in arrival order across severities', () => {
    const buf = new SeverityBuffer(10);
    const recs = (['low', 'critical', 'medium', 'low', 'high'] as const).map((severity) => anomalyRecord({ severity }));
    expect(buf.push(recs)).toEqual([]);
    expect(buf.size).toBe(5);
    expect(buf.take(3)).toEqual(recs.slice(0, 3));
    expect(buf.take(10)).toEqual(recs.slice(3));
    expect(buf.size).toBe(0);
  });

  it('on overflow drops the oldest record of the lowest severity present', () => {
    const buf = new SeverityBuffer(3);
    const lowOld = anomalyRecord({ severity: 'low', summary: 'low-old' });
    const crit = anomalyRecord({ severity: 'critical' });
    const lowNew = anomalyRecord({ severity: 'low', summary: 'low-new' });
    const med = anomalyRecord({ severity: 'medium' });
    buf.push([lowOld, crit, lowNew]);
    expect(buf.push([med])).toEqual([lowOld]);
    const high = anomalyRecord({ severity: 'high' });
    expect(buf.push([high])).toEqual([lowNew]);
    const crit2 = anomalyRecord({ severity: 'critical' });
    expect(buf.push([crit2])).toEqual([med]);
    expect(buf.drain()).toEqual([crit, high, crit2]);
  });

  it('stays bounded and ordered through many pushes and takes', () => {
    const buf = new SeverityBuffer(50);
    let dropped = 0;
    const kept: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      dropped += buf.push([anomalyRecord({ severity: i % 7 === 0 ? 'critical' : 'low', summary: String(i) })]).length;
      if (i % 3 === 0) kept.push(...buf.take(1).map((r) => r.anomaly.summary));
      expect(buf.size).toBeLessThanOrEqual(50);
    }
    kept.push(...buf.drain().map((r) => r.anomaly.summary));
    expect(kept.length + dropped).toBe(1_000);
    const order = kept.map(Number);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
