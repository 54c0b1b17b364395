import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryDelay } from '../../src/common/backoff.js';

describe('backoffDelay', () => {
  const opts = { initialMs: 100, maxMs: 1_000 };
  it('doubles per attempt up to the ceiling, with half of it jittered', () => {
    expect(backoffDelay(1, opts, () => 0)).toBe(50);
    expect(backoffDelay(1, opts, () => 1)).toBe(100);
    expect(backoffDelay(2, opts, () => 0)).toBe(100);
    expect(backoffDelay(3, opts, () => 1)).toBe(400);
    expect(backoffDelay(10, opts, () => 1)).toBe(1_000);
    expect(backoffDelay(10, opts, () => 0)).toBe(500);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 7, 21, 10, 0, 0);
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Fri, 21 Aug 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 21 Aug 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or garbage values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  const opts = { initialMs: 100, maxMs: 1_000, retryAfterMaxMs: 5_000 };
  it('waits at least what Retry-After asks, capped', () => {
    expect(retryDelay(1, undefined, opts, () => 1)).toBe(100);
    expect(retryDelay(1, 3_000, opts, () => 1)).toBe(3_000);
    expect(retryDelay(1, 60_000, opts, () => 1)).toBe(5_000);
    expect(retryDelay(5, 10, opts, () => 1)).toBe(1_000);
  });
});
