/**
 * Delivery errors: what a sink's transport throws so the delivery queue knows
 * whether to try again (429, 5xx, connection loss) or to give up (4xx, bad
 * config). Anything that is not a RetryableDeliveryError counts as permanent.
 */

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** Sink instance name, for logs. */
    readonly sink: string,
    options?: { cause?: unknown },
  ) {
    super(`${sink}: ${message}`, options);
    this.name = new.target.name;
  }
}

/** A failure worth retrying: the same request may succeed later. */
export class RetryableDeliveryError extends DeliveryError {
  constructor(
    message: string,
    sink: string,
    /** Server-requested wait (Retry-After), in ms. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, sink, options);
  }
}

/** A failure that repeating the same request cannot fix. */
export class PermanentDeliveryError extends DeliveryError {}

/** A non-2xx HTTP answer; `retryable` follows Vector's policy (408, 429, 5xx except 501). */
export class HttpStatusError extends RetryableDeliveryError {
  constructor(
    sink: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
    retryAfterMs?: number,
  ) {
    super(`HTTP ${status} from ${url}: ${body.slice(0, 300)}`, sink, retryAfterMs);
  }
}

/** The non-retryable twin of HttpStatusError (400, 401, 403, 404, 501 …). */
export class HttpRejectedError extends PermanentDeliveryError {
  constructor(
    sink: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status} from ${url}: ${body.slice(0, 300)}`, sink);
  }
}
