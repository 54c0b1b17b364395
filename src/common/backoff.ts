/**
 * Retry timing shared by every component that talks to a remote service (the
 * sinks' delivery queue, the LLM client): exponential back-off with "equal jitter" (half fixed, half
 * random, so two sinks failing together do not retry in lock-step yet never
 * retry immediately), and RFC 9110 Retry-After parsing (delay-seconds or an
 * HTTP-date, https://www.rfc-editor.org/rfc/rfc9110#field.retry-after).
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After in ms, or undefined when absent or unparseable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Date.parse accepts bare numbers ("-5" is a year), so require an HTTP-date's day/month names.
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Wait before retry `attempt`: the jittered back-off, or longer if the server asked (Retry-After, capped at `retryAfterMaxMs`). */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  opts: BackoffOptions & { retryAfterMaxMs: number },
  random: () => number = Math.random,
): number {
  const backoff = backoffDelay(attempt, opts, random);
  if (retryAfterMs === undefined) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, opts.retryAfterMaxMs));
}
