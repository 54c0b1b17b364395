import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ForwardSinkOptionsSchema } from '../../../src/sinks/forward/config.js';
import { createForwardSink } from '../../../src/sinks/forward/sink.js';
import type { AnomalyRecord } from '../../../src/sinks/record.js';
import { startForwardReceiver, type EventTimeValue, type ForwardReceiver } from '../support/forward-receiver.js';
import { anomalyRecord, FAST_RETRY, metricValue, testDeps, waitFor } from '../support/helpers.js';

let receiver: ForwardReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function options(port: number, extra: Record<string, unknown> = {}) {
  return ForwardSinkOptionsSchema.parse({ port, ack_timeout_ms: 2_000, connect_timeout_ms: 1_000, ...FAST_RETRY, ...extra });
}

function expectEventTime(time: EventTimeValue | number, record: AnomalyRecord): void {
  const ms = Date.parse(record['@timestamp']);
  expect(time).toEqual({ sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1_000_000 });
}

describe('forward sink', () => {
  it('sends Forward-mode messages with EventTime and a chunk, and counts records once acked', async () => {
    receiver = await startForwardReceiver();
    const deps = testDeps();
    const sink = createForwardSink('fwd', options(receiver.port), deps);
    const recs = [anomalyRecord(), anomalyRecord({ severity: 'critical' }), anomalyRecord()];
    await sink.send(recs);
    await sink.close(5_000);

    expect(receiver.messages).toHaveLength(1);
    const m = receiver.messages[0];
    expect(m.mode).toBe('Forward');
    expect(m.tag).toBe('lookout.anomaly');
    expect(typeof m.options?.chunk).toBe('string');
    expect(m.options?.size).toBe(3);
    expect(m.entries.map((e) => e.record)).toEqual(recs);
    m.entries.forEach((e, i) => expectEventTime(e.time, recs[i]));
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'fwd' })).toBe(3);
  });

  it.each(['message', 'packed_forward', 'compressed_packed_forward'] as const)('speaks %s mode with a custom tag', async (event_mode) => {
    receiver = await startForwardReceiver();
    const deps = testDeps();
    const sink = createForwardSink('fwd', options(receiver.port, { event_mode, tag: 'app.anomaly' }), deps);
    const recs = [anomalyRecord(), anomalyRecord()];
    await sink.send(recs);
    await sink.close(5_000);
    const expected = { message: 'Message', packed_forward: 'PackedForward', compressed_packed_forward: 'CompressedPackedForward' }[event_mode];
    expect(receiver.messages.every((m) => m.mode === expected && m.tag === 'app.anomaly')).toBe(true);
    expect(receiver.acked().map((e) => e.record)).toEqual(recs);
    receiver.acked().forEach((e, i) => expectEventTime(e.time, recs[i]));
  });

  it('after a `{}` answer (Vector: delivery failed) opens a fresh client and re-sends what was not acked', async () => {
    receiver = await startForwardReceiver((n) => (n === 0 ? 'nack' : 'ack'));
    const deps = testDeps();
    const sink = createForwardSink('fwd', options(receiver.port), deps);
    const recs = [anomalyRecord(), anomalyRecord()];
    await sink.send(recs);
    await waitFor(() => receiver!.acked().length === 2, 're-sent records acked');
    const more = [anomalyRecord()];
    await sink.send(more);
    await sink.close(5_000);

    expect(receiver.messages[0].answer).toBe('nack');
    expect(receiver.messages[0].entries.map((e) => e.record)).toEqual(recs);
    expect(receiver.connections).toBe(2);
    expect(receiver.messages.slice(1).every((m) => m.connection === 2)).toBe(true);
    expect(receiver.acked().map((e) => e.record)).toEqual([...recs, ...more]);
    expect(await metricValue(deps, 'lookout_sink_records_retried_total', { sink: 'fwd' })).toBe(2);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'fwd' })).toBe(3);
  });

  it('re-sends only the records whose chunks were not acked (Message mode, one chunk per record)', async () => {
    receiver = await startForwardReceiver((n) => (n === 2 ? 'nack' : 'ack'));
    const deps = testDeps();
    const sink = createForwardSink('fwd', options(receiver.port, { event_mode: 'message' }), deps);
    const recs = Array.from({ length: 5 }, () => anomalyRecord());
    await sink.send(recs);
    await sink.close(5_000);
    const ids = (entries: { record: Record<string, unknown> }[]) => entries.map((e) => (e.record as unknown as AnomalyRecord).anomaly.id);
    expect(ids(receiver.acked()).sort()).toEqual(ids(recs.map((record) => ({ record: record as unknown as Record<string, unknown> }))).sort());
    expect(ids(receiver.acked()).length).toBe(5);
    const second = receiver.messages.filter((m) => m.connection === 2).flatMap((m) => m.entries);
    expect(ids(second)).toEqual(recs.slice(2).map((r) => r.anomaly.id));
  });

  it('retries on an ack timeout and when the receiver is down, losing nothing once it is up', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    const deps = testDeps();
    const sink = createForwardSink('fwd', options(port, { ack_timeout_ms: 200 }), deps);
    const recs = [anomalyRecord(), anomalyRecord()];
    await sink.send(recs);
    await waitFor(async () => (await metricValue(deps, 'lookout_sink_records_retried_total', { sink: 'fwd' })) >= 4, 'connection-refused retries');
    receiver = await startForwardReceiver((n) => (n === 0 ? 'silent' : 'ack'), port);
    await waitFor(() => receiver!.acked().length >= 2, 'records acked after the receiver came up');
    await sink.close(5_000);
    expect(receiver.messages[0].answer).toBe('silent');
    expect(receiver.acked().map((e) => e.record)).toEqual(recs);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'fwd' })).toBe(2);
    expect(await metricValue(deps, 'lookout_sink_records_dropped_total', { sink: 'fwd' })).toBe(0);
  });

  it('speaks TLS, trusting the CA file it is given and refusing an unknown certificate', async () => {
    const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
    receiver = await startForwardReceiver(() => 'ack', 0, { key: readFileSync(fixture('forward-tls.key')), cert: readFileSync(fixture('forward-tls.crt')) });
    const deps = testDeps();
    const trusted = createForwardSink('tls', options(receiver.port, { tls: { ca_file: fixture('forward-tls.crt') } }), deps);
    const recs = [anomalyRecord()];
    await trusted.send(recs);
    await trusted.close(5_000);
    expect(receiver.acked().map((e) => e.record)).toEqual(recs);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'tls' })).toBe(1);

    const untrusted = createForwardSink('untrusted', options(receiver.port, { tls: {} }), deps);
    await untrusted.send([anomalyRecord()]);
    await waitFor(async () => (await metricValue(deps, 'lookout_sink_records_retried_total', { sink: 'untrusted' })) >= 1, 'a refused TLS handshake');
    await untrusted.close(50);
    expect(receiver.acked()).toHaveLength(1);
    expect(await metricValue(deps, 'lookout_sink_records_dropped_total', { sink: 'untrusted', reason: 'shutdown' })).toBe(1);
  });
});
