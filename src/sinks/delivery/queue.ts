/**
 * DeliveryQueue: the one delivery path every sink uses. `push` only enqueues
 * (never blocks, never throws); a single worker sends batches in arrival order
 * through the sink's transport, one batch in flight at a time.
 *
 * Guarantees:
 * - bounded memory: at most `buffer_max_records` waiting plus one batch in flight;
 *   on overflow the oldest lowest-severity record is dropped and counted;
 * - RetryableDeliveryError (429, 5xx, connection loss) and per-record `retry`
 *   outcomes are retried with exponential back-off + jitter, honouring
 *   Retry-After, until `retry_max_attempts` (default: until close);
 * - anything else fails the batch for good (counted, logged, not retried);
 * - `close(timeoutMs)` keeps delivering until empty or the deadline, then
 *   aborts the transport and counts what is left as dropped.
 * Delivery is at-least-once: a retried batch may repeat records the receiver
 * already has, which is why records carry a stable `anomaly.id`.
 */
import type { Logger } from '../../telemetry/log.js';
import type { AnomalyRecord } from '../record.js';
import { retryDelay } from '../../common/backoff.js';
import type { DeliveryOptions } from './config.js';
import { RetryableDeliveryError } from './errors.js';
import type { SinkMetrics } from './metrics.js';
import { SeverityBuffer } from './severity-buffer.js';

/** What a transport reports for a batch it did not deliver entirely. Omitted records count as sent. */
export interface DeliveryOutcome {
  /** Records to try again (e.g. bulk items answered 429 / 5xx). */
  retry?: AnomalyRecord[];
  /** Records the receiver rejected for good. */
  failed?: AnomalyRecord[];
  retryAfterMs?: number;
  /** Why records were retried or failed, for the log. */
  reason?: string;
}

/** Sends one batch. Throws RetryableDeliveryError to retry it all; any other throw fails it all. Must honour `signal`. */
export type Transport = (batch: AnomalyRecord[], signal: AbortSignal) => Promise<DeliveryOutcome | void>;

export interface DeliveryQueueDeps {
  metrics: SinkMetrics;
  logger: Logger;
  random?: () => number;
}

export class DeliveryQueue {
  private readonly buffer: SeverityBuffer;
  private inflight: AnomalyRecord[] = [];
  private wake: (() => void) | undefined;
  private closing = false;
  private finished = false;
  private readonly abort = new AbortController();
  private readonly loop: Promise<void>;

  constructor(
    readonly sink: string,
    private readonly transport: Transport,
    private readonly options: DeliveryOptions,
    private readonly deps: DeliveryQueueDeps,
  ) {
    this.buffer = new SeverityBuffer(options.buffer_max_records);
    this.loop = this.run();
  }

  /** Records waiting or in flight. */
  get pending(): number {
    return this.buffer.size + this.inflight.length;
  }

  push(records: AnomalyRecord[]): void {
    if (records.length === 0) return;
    if (this.closing) {
      this.countDropped(records, 'closed');
      return;
    }
    const dropped = this.buffer.push(records);
    if (dropped.length > 0) {
      this.countDropped(dropped, 'overflow');
      this.deps.logger.warn({ sink: this.sink, dropped: dropped.length, capacity: this.options.buffer_max_records }, 'sink queue full, dropped oldest lowest-severity records');
    }
    this.updateGauge();
    this.wake?.();
  }

  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.abort.abort(new Error(`${this.sink}: close deadline of ${timeoutMs} ms reached`));
        resolve();
      }, Math.max(0, timeoutMs));
    });
    await Promise.race([this.loop, deadline]);
    clearTimeout(timer);
    this.abort.abort();
    this.finished = true;
    const left = [...this.inflight, ...this.buffer.drain()];
    this.inflight = [];
    if (left.length > 0) {
      this.countDropped(left, 'shutdown');
      this.deps.logger.error({ sink: this.sink, lost: left.length }, `sink ${this.sink} closed with ${left.length} undelivered anomaly records: they are lost`);
    }
    this.updateGauge();
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      if (this.buffer.size === 0) {
        if (this.closing) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.inflight = this.buffer.take(this.options.batch_max_records);
      this.updateGauge();
      try {
        await this.deliver();
      } catch (err) {
        // deliver() handles transport errors itself; reaching here is a bug, so log loudly and keep the worker alive.
        this.deps.logger.error({ sink: this.sink, err }, 'sink delivery loop error');
        if (!this.finished) {
          this.deps.metrics.failed.inc({ sink: this.sink }, this.inflight.length);
          this.inflight = [];
        }
      }
      this.updateGauge();
    }
  }

  /** Delivers `inflight`, emptying it as records are accounted for; on abort it leaves the rest there for close() to count. */
  private async deliver(): Promise<void> {
    const { metrics, logger } = this.deps;
    const sink = this.sink;
    for (let attempt = 1; this.inflight.length > 0; attempt++) {
      const batch = this.inflight;
      let retry: AnomalyRecord[] = [];
      let retryAfterMs: number | undefined;
      let reason: string | undefined;
      try {
        const outcome = (await this.transport(batch, this.abort.signal)) ?? {};
        if (this.finished) return;
        const failed = outcome.failed ?? [];
        retry = outcome.retry ?? [];
        retryAfterMs = outcome.retryAfterMs;
        reason = outcome.reason;
        metrics.sent.inc({ sink }, batch.length - failed.length - retry.length);
        if (failed.length > 0) {
          metrics.failed.inc({ sink }, failed.length);
          logger.warn({ sink, failed: failed.length, reason, ids: failed.slice(0, 5).map((r) => r.anomaly.id) }, 'sink rejected records');
        }
      } catch (err) {
        if (this.finished || this.abort.signal.aborted) return;
        if (!(err instanceof RetryableDeliveryError)) {
          metrics.failed.inc({ sink }, batch.length);
          logger.error({ sink, err, records: batch.length }, 'sink delivery failed permanently');
          this.inflight = [];
          return;
        }
        retry = batch;
        retryAfterMs = err.retryAfterMs;
        reason = err.message;
      }
      this.inflight = retry;
      if (retry.length === 0) return;
      if (this.options.retry_max_attempts !== undefined && attempt >= this.options.retry_max_attempts) {
        metrics.failed.inc({ sink }, retry.length);
        logger.error({ sink, records: retry.length, attempts: attempt, reason }, 'sink gave up after retries');
        this.inflight = [];
        return;
      }
      const delayMs = this.retryDelay(attempt, retryAfterMs);
      metrics.retried.inc({ sink }, retry.length);
      logger.warn({ sink, records: retry.length, attempt, delay_ms: delayMs, reason }, 'sink delivery will be retried');
      await sleep(delayMs, this.abort.signal);
      if (this.abort.signal.aborted) return;
    }
  }

  private retryDelay(attempt: number, retryAfterMs: number | undefined): number {
    const o = this.options;
    return retryDelay(
      attempt,
      retryAfterMs,
      { initialMs: o.retry_initial_backoff_ms ?? 500, maxMs: o.retry_max_backoff_ms ?? 30_000, retryAfterMaxMs: o.retry_after_max_ms ?? 300_000 },
      this.deps.random,
    );
  }

  private countDropped(records: AnomalyRecord[], reason: 'overflow' | 'closed' | 'shutdown'): void {
    for (const r of records) this.deps.metrics.dropped.inc({ sink: this.sink, severity: r.anomaly.severity, reason });
  }

  private updateGauge(): void {
    this.deps.metrics.queued.set({ sink: this.sink }, this.pending);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
