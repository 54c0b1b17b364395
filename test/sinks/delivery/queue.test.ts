import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError, RetryableDeliveryError } from '../../../src/sinks/delivery/errors.js';
import { createSinkMetrics } from '../../../src/sinks/delivery/metrics.js';
import { DeliveryQueue, type Transport } from '../../../src/sinks/delivery/queue.js';
import type { AnomalyRecord } from '../../../src/sinks/record.js';
import { anomalyRecord, FAST_RETRY, metricValue, testDeps, waitFor } from '../support/helpers.js';

function makeQueue(transport: Transport, opts: Partial<ConstructorParameters<typeof DeliveryQueue>[2]> = {}) {
  const deps = testDeps();
  const queue = new DeliveryQueue('q', transport, { buffer_max_records: 100, batch_max_records: 10, ...FAST_RETRY, ...opts }, {
    metrics: createSinkMetrics(deps.metrics.registry),
    logger: deps.logger,
    random: deps.random,
  });
  return { queue, deps };
}

describe('DeliveryQueue', () => {
  it('delivers batches in arrival order, one in flight at a time', async () => {
    const seen: string[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const { queue, deps } = makeQueue(async (batch) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      seen.push(batch.map((r) => r.anomaly.summary));
      inFlight--;
    });
    const recs = Array.from({ length: 25 }, (_, i) => anomalyRecord({ summary: `s${i}` }));
    queue.push(recs.slice(0, 12));
    queue.push(recs.slice(12));
    await queue.close(5_000);
    expect(seen.flat()).toEqual(recs.map((r) => r.anomaly.summary));
    expect(seen.every((b) => b.length <= 10)).toBe(true);
    expect(maxInFlight).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'q' })).toBe(25);
    expect(await metricValue(deps, 'lookout_sink_queued_records', { sink: 'q' })).toBe(0);
  });

  it('retries retryable errors and only the records a transport hands back', async () => {
    let calls = 0;
    const delivered: AnomalyRecord[] = [];
    const { queue, deps } = makeQueue(async (batch) => {
      calls++;
      if (calls === 1) throw new RetryableDeliveryError('503', 'q');
      if (calls === 2) {
        delivered.push(batch[0]);
        return { retry: batch.slice(1, 2), failed: batch.slice(2) };
      }
      delivered.push(...batch);
    });
    const recs = [anomalyRecord(), anomalyRecord(), anomalyRecord()];
    queue.push(recs);
    await queue.close(5_000);
    expect(calls).toBe(3);
    expect(delivered).toEqual([recs[0], recs[1]]);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total')).toBe(2);
    expect(await metricValue(deps, 'lookout_sink_records_retried_total')).toBe(4);
    expect(await metricValue(deps, 'lookout_sink_records_failed_total')).toBe(1);
  });

  it('fails a batch without retry on a permanent error, and keeps going', async () => {
    let calls = 0;
    const { queue, deps } = makeQueue(
      async () => {
        calls++;
        if (calls === 1) throw new PermanentDeliveryError('400', 'q');
      },
      { batch_max_records: 2 },
    );
    queue.push([anomalyRecord(), anomalyRecord(), anomalyRecord()]);
    await queue.close(5_000);
    expect(calls).toBe(2);
    expect(await metricValue(deps, 'lookout_sink_records_failed_total')).toBe(2);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total')).toBe(1);
  });

  it('gives up after retry_max_attempts', async () => {
    let calls = 0;
    const { queue, deps } = makeQueue(async () => {
      calls++;
      throw new RetryableDeliveryError('down', 'q');
    }, { retry_max_attempts: 3 });
    queue.push([anomalyRecord()]);
    await queue.close(5_000);
    expect(calls).toBe(3);
    expect(await metricValue(deps, 'lookout_sink_records_failed_total')).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_records_retried_total')).toBe(2);
  });

  it('drops oldest lowest-severity records on overflow while the sink is down, and loses nothing else', async () => {
    let up = false;
    const delivered: AnomalyRecord[] = [];
    const { queue, deps } = makeQueue(
      async (batch) => {
        if (!up) throw new RetryableDeliveryError('down', 'q');
        delivered.push(...batch);
      },
      { buffer_max_records: 4, batch_max_records: 1 },
    );
    const first = anomalyRecord({ severity: 'low' });
    queue.push([first]);
    await waitFor(async () => (await metricValue(deps, 'lookout_sink_records_retried_total')) > 0, 'first failed attempt');
    const rest = [
      anomalyRecord({ severity: 'low', summary: 'low-a' }),
      anomalyRecord({ severity: 'critical' }),
      anomalyRecord({ severity: 'low', summary: 'low-b' }),
      anomalyRecord({ severity: 'high' }),
      anomalyRecord({ severity: 'medium' }),
    ];
    queue.push(rest);
    expect(queue.pending).toBe(5);
    expect(await metricValue(deps, 'lookout_sink_records_dropped_total', { severity: 'low', reason: 'overflow' })).toBe(1);
    up = true;
    await queue.close(5_000);
    expect(delivered.map((r) => r.anomaly.summary)).toEqual([first, ...rest.slice(1)].map((r) => r.anomaly.summary));
  });

  it('never blocks push, and on the close deadline counts what is left as dropped', async () => {
    const { queue, deps } = makeQueue(async (_batch, signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      throw new RetryableDeliveryError('aborted', 'q');
    });
    queue.push(Array.from({ length: 15 }, () => anomalyRecord()));
    expect(queue.pending).toBe(15);
    await queue.close(50);
    expect(await metricValue(deps, 'lookout_sink_records_dropped_total', { reason: 'shutdown' })).toBe(15);
    queue.push([anomalyRecord()]);
    expect(await metricValue(deps, 'lookout_sink_records_dropped_total', { reason: 'closed' })).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_queued_records')).toBe(0);
  });
});
