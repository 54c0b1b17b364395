import { describe, expect, it } from 'vitest';
import { suppressionKey, Suppressor } from '../../../src/sinks/notifications/suppression.js';
import type { AnomalyRecord } from '../../../src/sinks/record.js';
import { anomalyRecord } from '../support/helpers.js';

const MIN = 60_000;

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function notified(d: ReturnType<Suppressor['check']>): AnomalyRecord | undefined {
  return d.notify ? d.record : undefined;
}

describe('suppressionKey', () => {
  it('depends on service, type and main template only', () => {
    const a = anomalyRecord({ templates: ['t1', 'x'] });
    expect(suppressionKey(anomalyRecord({ templates: ['t1', 'y'], severity: 'low', host: 'other' }))).toBe(suppressionKey(a));
    expect(suppressionKey(anomalyRecord({ templates: ['t2'] }))).not.toBe(suppressionKey(a));
    expect(suppressionKey(anomalyRecord({ templates: ['t1'], type: 'silence' }))).not.toBe(suppressionKey(a));
    expect(suppressionKey(anomalyRecord({ templates: ['t1'], service: 'checkout' }))).not.toBe(suppressionKey(a));
    expect(suppressionKey(anomalyRecord({ templates: [] }))).toBe(suppressionKey(anomalyRecord({ templates: [] })));
    expect(suppressionKey(a)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('Suppressor', () => {
  it('holds back repeats within the window and puts the count on the next notification', () => {
    const c = clock();
    const s = new Suppressor(20 * MIN, 100, c.now);
    const first = notified(s.check(anomalyRecord()));
    expect(first?.anomaly.suppressed_count).toBeUndefined();
    c.advance(5 * MIN);
    expect(s.check(anomalyRecord()).notify).toBe(false);
    c.advance(14 * MIN);
    expect(s.check(anomalyRecord()).notify).toBe(false);
    c.advance(MIN - 1);
    expect(s.check(anomalyRecord()).notify).toBe(false);
    c.advance(1);
    const next = notified(s.check(anomalyRecord()));
    expect(next?.anomaly.suppressed_count).toBe(3);
    c.advance(MIN);
    expect(s.check(anomalyRecord()).notify).toBe(false);
  });

  it('keys separately by template, type and service', () => {
    const c = clock();
    const s = new Suppressor(20 * MIN, 100, c.now);
    expect(s.check(anomalyRecord({ templates: ['a'] })).notify).toBe(true);
    expect(s.check(anomalyRecord({ templates: ['b'] })).notify).toBe(true);
    expect(s.check(anomalyRecord({ templates: ['a'], type: 'other' })).notify).toBe(true);
    expect(s.check(anomalyRecord({ templates: ['a'], service: 'other' })).notify).toBe(true);
    expect(s.check(anomalyRecord({ templates: ['a'], severity: 'critical' })).notify).toBe(false);
  });

  it('keeps a count for one window after the last suppression, then forgets it', () => {
    const c = clock();
    const s = new Suppressor(20 * MIN, 100, c.now);
    s.check(anomalyRecord());
    c.advance(19 * MIN);
    expect(s.check(anomalyRecord()).notify).toBe(false);
    c.advance(19 * MIN);
    expect(notified(s.check(anomalyRecord()))?.anomaly.suppressed_count).toBe(1);
    c.advance(10 * MIN);
    expect(s.check(anomalyRecord()).notify).toBe(false);
    c.advance(21 * MIN);
    const late = notified(s.check(anomalyRecord()));
    expect(late).toBeDefined();
    expect(late?.anomaly.suppressed_count).toBeUndefined();
  });

  it('stays bounded: beyond max keys the least recently used key is forgotten', () => {
    const c = clock();
    const s = new Suppressor(20 * MIN, 2, c.now);
    s.check(anomalyRecord({ templates: ['a'] }));
    s.check(anomalyRecord({ templates: ['b'] }));
    s.check(anomalyRecord({ templates: ['c'] }));
    expect(s.check(anomalyRecord({ templates: ['c'] })).notify).toBe(false);
    expect(s.check(anomalyRecord({ templates: ['a'] })).notify).toBe(true);
  });

  it('does not modify the record it was given', () => {
    const c = clock();
    const s = new Suppressor(20 * MIN, 10, c.now);
    s.check(anomalyRecord());
    s.check(anomalyRecord());
    c.advance(20 * MIN);
    const original = anomalyRecord();
    const out = notified(s.check(original));
    expect(out?.anomaly.suppressed_count).toBe(1);
    expect(original.anomaly.suppressed_count).toBeUndefined();
  });
});
