import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryable, retryAfterMs } from '../../../src/analysis/llm/backoff.js';
import { CircuitBreaker, type BreakerState } from '../../../src/analysis/llm/breaker.js';
import { TokenBudget } from '../../../src/analysis/llm/budget.js';
import { QueueFullError } from '../../../src/analysis/llm/errors.js';
import { BoundedLimiter } from '../../../src/analysis/llm/limiter.js';

describe('backoff', () => {
  it('grows exponentially, stays within [step/2, step] and is capped', () => {
    const p = (r: number) => ({ baseMs: 100, maxMs: 1000, rng: () => r });
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, p(1)))).toEqual([100, 200, 400, 800]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, p(0)))).toEqual([50, 100, 200, 400]);
    expect(backoffDelay(10, p(1))).toBe(1000);
  });

  it('reads Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    const now = Date.parse('2024-06-10T12:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 10 Jun 2024 12:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '1' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({}), now)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });

  it('retries 429, 5xx and connection trouble, not other 4xx', () => {
    const gen = (status: number) => OpenAI.APIError.generate(status, { message: 'x' }, 'x', new Headers());
    expect(isRetryable(gen(429))).toBe(true);
    expect(isRetryable(gen(503))).toBe(true);
    expect(isRetryable(new OpenAI.APIConnectionTimeoutError())).toBe(true);
    expect(isRetryable(gen(401))).toBe(false);
    expect(isRetryable(new Error('bug'))).toBe(false);
  });
});

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, half-opens after the cooldown, closes on a good probe', () => {
    let t = 0;
    const states: BreakerState[] = [];
    const b = new CircuitBreaker({ failures: 3, cooldownMs: 1000, now: () => t, onStateChange: (s) => states.push(s) });
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
    b.onFailure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    t = 999;
    expect(b.isOpen()).toBe(true);
    t = 1000;
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onSuccess();
    expect(b.state).toBe('closed');
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });

  it('re-opens when the probe fails', () => {
    let t = 0;
    const b = new CircuitBreaker({ failures: 1, cooldownMs: 10, now: () => t });
    b.onFailure();
    t = 10;
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state).toBe('open');
    t = 19;
    expect(b.isOpen()).toBe(true);
  });
});

describe('BoundedLimiter', () => {
  it('runs at most `concurrency` tasks, queues up to `queueSize`, refuses the rest', async () => {
    const limiter = new BoundedLimiter(1, 1);
    const releases: Array<() => void> = [];
    let running = 0;
    let peak = 0;
    const task = () =>
      limiter.run(
        () =>
          new Promise<void>((resolve) => {
            running++;
            peak = Math.max(peak, running);
            releases.push(() => {
              running--;
              resolve();
            });
          }),
      );
    const first = task();
    const second = task();
    await expect(task()).rejects.toBeInstanceOf(QueueFullError);
    expect(limiter.queued).toBe(1);
    for (let i = 0; i < 20 && releases.length === 0; i++) await Promise.resolve();
    releases.shift()!();
    await first;
    for (let i = 0; i < 20 && releases.length === 0; i++) await Promise.resolve();
    releases.shift()!();
    await second;
    expect(peak).toBe(1);
    expect(limiter.queued).toBe(0);
  });
});

describe('TokenBudget', () => {
  it('is exhausted at the hourly limit and recovers as minutes roll off', () => {
    let t = 0;
    const budget = new TokenBudget(1000, () => t);
    budget.spend(600);
    t = 30 * 60_000;
    budget.spend(400);
    expect(budget.exhausted()).toBe(true);
    t = 60 * 60_000;
    expect(budget.used()).toBe(400);
    expect(budget.exhausted()).toBe(false);
  });

  it('never runs out with a limit of 0', () => {
    const budget = new TokenBudget(0, () => 0);
    budget.spend(1e9);
    expect(budget.exhausted()).toBe(false);
  });
});
