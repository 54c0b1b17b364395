/**
 * Refusals of the HTTP source, one class per HTTP answer, each carrying the
 * status the client gets, the `reason` label of lookout_records_rejected_total
 * and JSON-safe context (format, encoding, line, byte offset, limit) that goes
 * into the error body and the warn log.
 *
 * The status choice is what makes the senders behave (wire-formats.md §1.6,
 * §3.4): Vector and Fluent Bit drop a batch on 400/401/413/415 and retry
 * 429/5xx, so only a body that can never succeed gets a 4xx here.
 */

export type RejectReason = 'auth' | 'malformed' | 'too_deep' | 'too_large' | 'unsupported' | 'buffer_full' | 'overloaded' | 'shutting_down';

export abstract class HttpSourceError extends Error {
  abstract readonly status: number;
  abstract readonly reason: RejectReason;

  constructor(
    message: string,
    readonly context: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Where in the (decompressed) body decoding failed. */
export interface BodyLocation {
  format?: string;
  encoding?: string;
  /** 1-based line of the failing record (text formats). */
  line?: number;
  /** Byte offset into the decompressed body (or into the compressed one, for an encoding error). */
  offset?: number;
}

/** The body can never be read: 400, which makes Fluent Bit drop the chunk and Vector drop the batch. */
export class MalformedBodyError extends HttpSourceError {
  readonly status = 400;
  readonly reason = 'malformed';

  constructor(
    readonly detail: string,
    readonly location: BodyLocation,
  ) {
    const where = [
      location.line !== undefined ? `line ${location.line}` : undefined,
      location.offset !== undefined ? `byte offset ${location.offset}` : undefined,
    ].filter(Boolean);
    super(`malformed ${location.format ?? location.encoding ?? 'body'}${where.length ? ` at ${where.join(', ')}` : ''}: ${detail}`, {
      ...location,
    });
  }
}

/** Unknown Content-Type or Content-Encoding: 415. */
export class UnsupportedMediaError extends HttpSourceError {
  readonly status = 415;
  readonly reason = 'unsupported';

  constructor(message: string, context: { content_type?: string; content_encoding?: string }) {
    super(message, context);
  }
}

/** A size or count limit was exceeded (body, decompressed body, records): 413. */
export class PayloadTooLargeError extends HttpSourceError {
  readonly status = 413;
  readonly reason = 'too_large';

  constructor(
    readonly limitName: 'max_body_bytes' | 'max_decompressed_bytes' | 'max_records_per_request' | 'max_decoded_bytes',
    readonly limit: number,
    detail: string,
  ) {
    super(`${detail} (limit ${limitName} = ${limit})`, { limit: limitName, limit_value: limit });
  }
}

/**
 * A record nested deeper than max_nesting_depth: 400, because the body can
 * never be analysed (rendering it would overflow the stack) and a 5xx would
 * be retried for ever.
 */
export class NestingTooDeepError extends HttpSourceError {
  readonly status = 400;
  readonly reason = 'too_deep';

  constructor(
    readonly limit: number,
    location: BodyLocation,
  ) {
    super(`a record in the ${location.format ?? 'body'} is nested more than ${limit} levels deep (limit max_nesting_depth = ${limit})`, {
      ...location,
      limit: 'max_nesting_depth',
      limit_value: limit,
    });
  }
}

/**
 * The bodies being read on all connections together hold max_inflight_bytes:
 * 503 with Retry-After, which both senders retry, so a crowd of slow uploads
 * cannot hold unbounded memory.
 */
export class OverloadedError extends HttpSourceError {
  readonly status = 503;
  readonly reason = 'overloaded';

  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`request bodies in flight hold more than ${limit} bytes, retry later (limit max_inflight_bytes = ${limit})`, {
      limit: 'max_inflight_bytes',
      limit_value: limit,
      retry_after_seconds: retryAfterSeconds,
    });
  }
}

/** Missing or wrong credentials: 401 with the WWW-Authenticate challenges of the configured schemes. */
export class UnauthorizedError extends HttpSourceError {
  readonly status = 401;
  readonly reason = 'auth';

  constructor(readonly challenges: string[]) {
    super('missing or invalid credentials');
  }
}
