/**
 * forward sink: anomaly records over the Forward protocol
 * (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1)
 * to Fluent Bit's `forward` input or Vector's `fluent` source, through
 * @fluent-org/logger with EventTime and acks on.
 *
 * Guarantees: a record counts as delivered only once its chunk is acked
 * (`require_ack`, default on). On a connection error, a close, a negative
 * answer (`{}` from Vector) or an ack timeout, the connection is dropped and
 * the records not yet acked are re-sent on a fresh connection after the
 * shared queue's back-off. Re-sends can duplicate; `anomaly.id` dedups.
 */
import { RetryableDeliveryError } from '../delivery/errors.js';
import { queuedSink, type SinkDeps } from '../delivery/queued-sink.js';
import type { DeliveryOutcome } from '../delivery/queue.js';
import type { AnomalyRecord } from '../record.js';
import type { Sink } from '../sink.js';
import type { ForwardSinkOptions } from './config.js';
import { ForwardConnection } from './connection.js';

export class ForwardDeliveryError extends RetryableDeliveryError {
  constructor(sink: string, readonly address: string, reason: string, cause?: unknown) {
    super(`forward to ${address}: ${reason}`, sink, undefined, { cause });
  }
}

export function createForwardSink(name: string, options: ForwardSinkOptions, deps: SinkDeps): Sink {
  let conn: ForwardConnection | undefined;

  async function open(signal: AbortSignal): Promise<ForwardConnection> {
    if (conn?.usable) return conn;
    void conn?.dispose();
    const fresh = new ForwardConnection(options);
    conn = fresh;
    const failure = await firstFailure(fresh.connect(), fresh, options.connect_timeout_ms, signal);
    if (failure) {
      conn = undefined;
      void fresh.dispose();
      throw new ForwardDeliveryError(name, fresh.address, `connect failed: ${failure.message}`, failure);
    }
    deps.logger.debug({ sink: name, address: fresh.address }, 'forward connection open');
    return fresh;
  }

  async function transport(batch: AnomalyRecord[], signal: AbortSignal): Promise<DeliveryOutcome | void> {
    const c = await open(signal);
    const acked = new Array<boolean>(batch.length).fill(false);
    const emits = c.emit(batch).map((p, i) => p.then(() => void (acked[i] = true)));
    const all = Promise.allSettled(emits).then((results) => {
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (rejected) throw rejected.reason;
    });
    // The client's own ack timeout rejects an emit; the extra second covers emits stuck before the socket.
    const failure = await firstFailure(all, c, options.ack_timeout_ms + 1_000, signal);
    if (!failure) return;
    if (conn === c) conn = undefined;
    void c.dispose();
    const unacked = batch.filter((_, i) => !acked[i]);
    if (unacked.length === 0) return;
    const reason = `${unacked.length}/${batch.length} records not acknowledged: ${failure.message}`;
    if (unacked.length === batch.length) throw new ForwardDeliveryError(name, c.address, reason, failure);
    return { retry: unacked, reason };
  }

  return queuedSink(name, transport, options, deps, async () => {
    await conn?.dispose();
    conn = undefined;
  });
}

/** Waits for `work`; returns the error that ended it early (its rejection, the connection breaking, the timeout or abort), or undefined. */
async function firstFailure(work: Promise<void>, conn: ForwardConnection, timeoutMs: number, signal: AbortSignal): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work.then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      ),
      conn.broken,
      new Promise<Error>((resolve) => (timer = setTimeout(() => resolve(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
      new Promise<Error>((resolve) => {
        onAbort = () => resolve(new Error('aborted'));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
