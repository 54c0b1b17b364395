/**
 * Retry policy for the LLM client: the shared back-off (../../common/backoff.ts)
 * and the server's own Retry-After (RFC 9110 §10.2.3: seconds or an HTTP date;
 * OpenAI and Azure also send `retry-after-ms`).
 */
import OpenAI, { APIError } from 'openai';
import { backoffDelay as sharedBackoffDelay, parseRetryAfter } from '../../common/backoff.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0..1; Math.random in production, fixed in tests. */
  rng: () => number;
}

/** Delay before retry `attempt`, counted from 0. */
export function backoffDelay(attempt: number, p: BackoffPolicy): number {
  return sharedBackoffDelay(attempt + 1, { initialMs: p.baseMs, maxMs: p.maxMs }, p.rng);
}

/** Milliseconds the server asked us to wait, if it said. */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfter(headers.get('retry-after'), nowMs);
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
