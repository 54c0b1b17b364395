import { describe, expect, it } from 'vitest';
import { epochToMillis, parseTimestamp } from '../../src/sources/timestamp.js';

const T = Date.UTC(2026, 7, 21, 10, 0, 0);

describe('parseTimestamp', () => {
  it('reads RFC 3339 UTC with 0, 3, 6 or 9 fraction digits as Vector sends them', () => {
    expect(parseTimestamp('2026-08-21T10:00:00Z')).toBe(T);
    expect(parseTimestamp('2026-08-21T10:00:00.120Z')).toBe(T + 120);
    expect(parseTimestamp('2026-08-21T10:00:00.123456Z')).toBeCloseTo(T + 123.456, 6);
    expect(parseTimestamp('2026-08-21T10:00:00.123456789Z')).toBeCloseTo(T + 123.456789, 3);
  });

  it('reads offsets, Fluent Bit java_sql_timestamp (UTC, no zone) and numeric strings', () => {
    expect(parseTimestamp('2026-08-21T12:00:00+02:00')).toBe(T);
    expect(parseTimestamp('2026-08-21T05:30:00-0430')).toBe(T);
    expect(parseTimestamp('2026-08-21 10:00:00.500000')).toBe(T + 500);
    expect(parseTimestamp(String(T / 1000))).toBe(T);
  });

  it('takes epoch seconds, milliseconds, microseconds and nanoseconds by magnitude', () => {
    expect(parseTimestamp(T / 1000)).toBe(T);
    expect(parseTimestamp(1787306400.123457)).toBeCloseTo(T + 123.457, 3);
    expect(parseTimestamp(T)).toBe(T);
    expect(epochToMillis(T * 1000)).toBe(T);
    expect(epochToMillis(T * 1e6)).toBe(T);
  });

  it('refuses what is not a time instead of guessing', () => {
    for (const bad of ['2026-13-21T10:00:00Z', '2026-08-21T10:00:00.Z', '2026-08-21T25:00:00Z', 'yesterday', '', 0, -5, null, {}, NaN]) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
  });
});
