/**
 * Why an LLM analysis did not happen. Every one of these ends with the window
 * analysed by the detector alone (`analysis: degraded`), a metric and a log line.
 */

export type DegradedReason =
  | 'breaker_open'
  | 'queue_full'
  | 'budget_exhausted'
  | 'unavailable'
  | 'rate_limited'
  | 'rejected'
  | 'invalid_answer'
  | 'closed'
  | 'error';

export class LlmUnavailableError extends Error {
  constructor(
    readonly reason: DegradedReason,
    readonly endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${endpoint}: ${message}`, options);
    this.name = 'LlmUnavailableError';
  }
}

export class QueueFullError extends Error {
  constructor(readonly queueSize: number) {
    super(`LLM queue is full (${queueSize} windows waiting)`);
    this.name = 'QueueFullError';
  }
}

/** The model answered twice with text that is not a valid answer; `error` says what was wrong with the last one. */
export class InvalidAnswerError extends Error {
  constructor(
    readonly endpoint: string,
    readonly error: string,
  ) {
    super(`${endpoint}: invalid answer after one repair attempt: ${error}`);
    this.name = 'InvalidAnswerError';
  }
}

/** The model endpoint sent more than max_response_bytes; reading stopped there and the connection was dropped. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`model response is larger than max_response_bytes (${limit})`);
    this.name = 'ResponseTooLargeError';
  }
}
