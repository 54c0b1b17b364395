/**
 * Exponential back-off with jitter, and the server's own Retry-After
 * (RFC 9110 §10.2.3: seconds or an HTTP date; OpenAI and Azure also send
 * `retry-after-ms`). Jitter keeps many Lookout instances that failed together
 * from retrying together.
 */
import OpenAI, { APIError } from 'openai';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0..1; Math.random in production, fixed in tests. */
  rng: () => number;
}

/** "Equal jitter": half the exponential step for sure, the other half random. `attempt` counts from 0. */
export function backoffDelay(attempt: number, p: BackoffPolicy): number {
  const step = Math.min(p.maxMs, p.baseMs * 2 ** attempt);
  return step / 2 + p.rng() * (step / 2);
}

/** Milliseconds the server asked us to wait, if it said. */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** 408, 409, 429, 5xx, timeouts and connection failures may pass; other 4xx will fail again the same way. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof OpenAI.APIUserAbortError) return false;
  if (err instanceof OpenAI.APIConnectionError) return true;
  if (!(err instanceof APIError) || err.status === undefined) return false;
  return err.status === 408 || err.status === 409 || err.status === 429 || err.status >= 500;
}

export function errorHeaders(err: unknown): Headers | undefined {
  return err instanceof APIError ? err.headers : undefined;
}
