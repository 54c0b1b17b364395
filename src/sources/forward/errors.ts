/**
 * Errors of the Forward source. Each one ends the connection it happened on
 * (never the server) and carries what the warning log needs: the byte offset
 * in the connection's stream where the offending message starts, and a
 * `reason` used as the `recordsRejected` metric label.
 */

export type ForwardErrorReason = 'malformed_message' | 'message_too_large' | 'decompression_failed' | 'handshake_failed';

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
