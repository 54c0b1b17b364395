/**
 * ResilientCaller: every model request goes through here. Order of checks:
 * breaker open → refuse at once; queue full → refuse at once; then, holding a
 * concurrency slot, try up to 1 + `retries` times, backing off with jitter on
 * 429/5xx/timeouts/connection errors and never retrying sooner than the
 * server's Retry-After. A Retry-After beyond `backoff_max_ms` ends the retries
 * (waiting that long would hold the window hostage). Each failed attempt
 * counts towards the breaker; when it opens mid-retry, retrying stops.
 * Refusals become LlmUnavailableError with a reason; nothing is retried forever.
 */
import { backoffDelay, errorHeaders, isRetryable, retryAfterMs, type BackoffPolicy } from './backoff.js';
import type { CircuitBreaker } from './breaker.js';
import { LlmUnavailableError, QueueFullError } from './errors.js';
import type { BoundedLimiter } from './limiter.js';

export interface ResilienceDeps {
  breaker: CircuitBreaker;
  limiter: BoundedLimiter;
  backoff: BackoffPolicy;
  retries: number;
  endpoint: string;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export class ResilientCaller {
  constructor(private readonly deps: ResilienceDeps) {}

  async call<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const { breaker, limiter, endpoint } = this.deps;
    if (breaker.isOpen()) throw new LlmUnavailableError('breaker_open', endpoint, 'circuit breaker is open');
    try {
      return await limiter.run(() => this.attempts(fn, signal));
    } catch (err) {
      if (err instanceof QueueFullError) throw new LlmUnavailableError('queue_full', endpoint, err.message, { cause: err });
      throw err;
    }
  }

  private async attempts<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const { breaker, backoff, retries, endpoint } = this.deps;
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw new LlmUnavailableError('closed', endpoint, 'analyzer is closing');
      if (!breaker.tryAcquire()) throw new LlmUnavailableError('breaker_open', endpoint, 'circuit breaker is open');
      try {
        const result = await fn();
        breaker.onSuccess();
        return result;
      } catch (err) {
        breaker.onFailure();
        if (signal.aborted) throw new LlmUnavailableError('closed', endpoint, 'analyzer is closing', { cause: err });
        if (!isRetryable(err)) throw new LlmUnavailableError('rejected', endpoint, describe(err), { cause: err });
        if (attempt >= retries) throw new LlmUnavailableError('unavailable', endpoint, `${describe(err)} (after ${attempt + 1} attempts)`, { cause: err });
        const asked = retryAfterMs(errorHeaders(err), this.deps.now());
        if (asked !== undefined && asked > backoff.maxMs) {
          throw new LlmUnavailableError('rate_limited', endpoint, `server asked to wait ${asked} ms, more than backoff_max_ms`, { cause: err });
        }
        const delayMs = Math.max(backoffDelay(attempt, backoff), asked ?? 0);
        this.deps.onRetry?.({ attempt: attempt + 1, delayMs, error: err });
        await this.deps.sleep(delayMs, signal);
      }
    }
  }
}

/** setTimeout-based sleep that an abort (analyzer close) cuts short. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
