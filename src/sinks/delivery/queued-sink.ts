/**
 * Wraps a DeliveryQueue as a Sink: `send` enqueues and returns at once,
 * `close` flushes within the deadline, then releases the transport.
 */
import type { Metrics } from '../../telemetry/metrics.js';
import type { Logger } from '../../telemetry/log.js';
import type { AnomalyRecord } from '../record.js';
import type { Sink } from '../sink.js';
import type { DeliveryOptions } from './config.js';
import { createSinkMetrics } from './metrics.js';
import { DeliveryQueue, type Transport } from './queue.js';

/** What every sink factory receives. */
export interface SinkDeps {
  metrics: Metrics;
  logger: Logger;
  /** Clock for suppression windows; defaults to Date.now. */
  now?: () => number;
  /** Jitter source for retries; tests pin it. */
  random?: () => number;
}

export function queuedSink(
  name: string,
  transport: Transport,
  options: DeliveryOptions,
  deps: SinkDeps,
  release?: () => Promise<void>,
): Sink & { readonly queue: DeliveryQueue } {
  const queue = new DeliveryQueue(name, transport, options, {
    metrics: createSinkMetrics(deps.metrics.registry),
    logger: deps.logger,
    random: deps.random,
  });
  return {
    name,
    queue,
    async send(records: AnomalyRecord[]) {
      queue.push(records);
    },
    async close(timeoutMs: number) {
      await queue.close(timeoutMs);
      await release?.();
    },
  };
}
