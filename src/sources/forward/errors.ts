/**
 * Errors of the Forward source. A ForwardSourceError ends the connection it
 * happened on (never the server) and carries what the warning log needs: the
 * byte offset in the connection's stream where the offending message starts,
 * and a `reason` used as the `recordsRejected` metric label.
 * A MessageRefusedError does not: see its comment.
 */

export type ForwardErrorReason =
  | 'malformed_message'
  | 'message_too_large'
  | 'decompression_failed'
  | 'handshake_failed'
  | 'timeout'
  | 'inflight_full';

export abstract class ForwardSourceError extends Error {
  abstract readonly reason: ForwardErrorReason;

  constructor(
    message: string,
    /** Stream offset (bytes since the connection opened) of the message at fault. */
    readonly byteOffset: number,
  ) {
    super(`forward source: ${message} (at byte ${byteOffset})`);
    this.name = new.target.name;
  }
}

/** Bytes that are not msgpack, or msgpack that is not a Forward protocol message. */
export class ForwardDecodeError extends ForwardSourceError {
  readonly reason = 'malformed_message' as const;

  constructor(
    readonly detail: string,
    byteOffset: number,
  ) {
    super(detail, byteOffset);
  }
}

/** One message grew beyond `max_message_bytes` before it was complete. */
export class MessageTooLargeError extends ForwardSourceError {
  readonly reason = 'message_too_large' as const;

  constructor(
    readonly bytes: number,
    readonly limit: number,
    byteOffset: number,
  ) {
    super(`message of at least ${bytes} bytes exceeds max_message_bytes ${limit}`, byteOffset);
  }
}

/** A CompressedPackedForward payload that is corrupt, of an unknown codec, or too large once decompressed. */
export class DecompressionError extends ForwardSourceError {
  readonly reason = 'decompression_failed' as const;

  constructor(
    readonly detail: string,
    byteOffset: number,
  ) {
    super(detail, byteOffset);
  }
}

/** The client failed the shared_key handshake (wrong key, wrong user, or not a PING). */
export class HandshakeError extends ForwardSourceError {
  readonly reason = 'handshake_failed' as const;

  constructor(
    readonly detail: string,
    byteOffset: number,
  ) {
    super(`handshake failed: ${detail}`, byteOffset);
  }
}

/**
 * The client was too slow: no complete message within handshake_timeout_seconds
 * of connecting, or a message still incomplete message_timeout_seconds after
 * its first byte.
 */
export class TimeoutError extends ForwardSourceError {
  readonly reason = 'timeout' as const;

  constructor(
    readonly detail: string,
    byteOffset: number,
  ) {
    super(detail, byteOffset);
  }
}

/** Partial messages on all connections together hold max_inflight_bytes; this connection's would pass it. */
export class InflightFullError extends ForwardSourceError {
  readonly reason = 'inflight_full' as const;

  constructor(limit: number, byteOffset: number) {
    super(`partial messages on all connections hold max_inflight_bytes ${limit}`, byteOffset);
  }
}

/**
 * A complete, well-formed message that can never be accepted: more records or
 * decoded bytes than the per-message limits, a payload that inflates past
 * max_decompressed_bytes, or a record nested deeper than max_nesting_depth.
 * Closing the connection would make Fluent Bit resend the chunk for ever (it
 * retries an unacknowledged chunk up to Retry_Limit, and the documented setup
 * is no_limits), so the message is acknowledged and dropped instead, with a
 * warning and its records counted in lookout_records_rejected_total: the
 * Forward counterpart of the HTTP source's 413 / 400, which Fluent Bit drops.
 */
export class MessageRefusedError extends Error {
  constructor(
    readonly reason: 'too_large' | 'too_deep',
    readonly detail: string,
    readonly byteOffset: number,
  ) {
    super(`forward source: ${detail} (at byte ${byteOffset})`);
    this.name = 'MessageRefusedError';
  }
}
