/**
 * Event modes and option handling the Fluent Bit captures do not cover:
 * str PackedForward payloads, zstd and "text" compression, group markers,
 * non-log signals, heartbeats, metadata, malformed entries.
 */
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { Encoder } from '@msgpack/msgpack';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventTime, fluentExtensionCodec } from '../../../src/sources/fluent_entry.js';
import { CollectingIntake } from '../../support/collecting_intake.js';
import { counterValue, RawClient, startSource, type Harness } from './harness.js';

const encoder = new Encoder({ extensionCodec: fluentExtensionCodec });
const pack = (v: unknown): Uint8Array => encoder.encode(v);
const packEntries = (entries: unknown[]): Buffer => Buffer.concat(entries.map((e) => pack(e)));

const T = new EventTime(1_795_500_000, 123_456_789);
const T_MS = 1_795_500_000_000 + 123.456789;

/** `[tag, str(payload), option]` written by hand: msgpack encoders only produce str from JS strings. */
function packedAsStr(tag: string, payload: Uint8Array, option: Record<string, unknown>): Buffer {
  const header = Buffer.alloc(5);
  header[0] = 0xdb; // str32
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([Buffer.from([0x93]), pack(tag), header, payload, pack(option)]);
}

describe('Forward event modes and options', () => {
  let h: Harness | undefined;
  let client: RawClient | undefined;
  beforeAll(async () => {
    await zstdInit();
  });
  afterEach(async () => {
    client?.end();
    await h?.source.close();
    h = client = undefined;
  });

  async function send(...messages: Uint8Array[]): Promise<RawClient> {
    h ??= await startSource();
    client = await RawClient.open(h.port);
    await client.write(Buffer.concat(messages));
    return client;
  }

  it('reads a PackedForward payload sent as str without UTF-8 mangling', async () => {
    const payload = packEntries([[T, { message: 'a' }], [[T, { stream: 'stdout' }], { message: 'b' }]]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(payload)).toThrow();
    const c = await send(packedAsStr('app.str', payload, { chunk: 'c1', size: 2 }));
    expect(await c.waitForReplies(1)).toEqual([{ ack: 'c1' }]);
    expect(h!.intake.records.map((r) => [r.message, r.timestamp, r.fields])).toEqual([
      ['a', T_MS, {}],
      ['b', T_MS, { __metadata: { stream: 'stdout' } }],
    ]);
    expect(await counterValue(h!.metrics, 'recordsReceived', { source: 'forward', format: 'packed_forward' })).toBe(2);
  });

  it('reads zstd CompressedPackedForward (codec found by magic bytes, as Fluent Bit in_forward does)', async () => {
    const entries = packEntries([[T, { message: 'z1' }], [T, { message: 'z2' }]]);
    const c = await send(pack(['app.zstd', zstdCompress(entries, 3), { chunk: 'z', compressed: 'zstd' }]));
    expect(await c.waitForReplies(1)).toEqual([{ ack: 'z' }]);
    expect(h!.intake.records.map((r) => r.message)).toEqual(['z1', 'z2']);
    expect(await counterValue(h!.metrics, 'recordsReceived', { source: 'forward', format: 'compressed_packed_forward' })).toBe(2);
  });

  it('treats compressed: "text" as uncompressed PackedForward', async () => {
    const c = await send(pack(['app.text', packEntries([[T, { message: 't' }]]), { chunk: 't', compressed: 'text' }]));
    await c.waitForReplies(1);
    expect(h!.intake.records.map((r) => r.message)).toEqual(['t']);
  });

  it('skips Fluent Bit group markers', async () => {
    const groupStart = [[new EventTime(0xffffffff, 0), { group: 'meta' }], { resource: {} }];
    const groupEnd = [[new EventTime(0xfffffffe, 0), {}], {}];
    const c = await send(pack(['app.grp', [groupStart, [[T, {}], { message: 'inside' }], groupEnd], { chunk: 'g' }]));
    await c.waitForReplies(1);
    expect(h!.intake.records.map((r) => r.message)).toEqual(['inside']);
  });

  it('acks but ignores metrics and traces (fluent_signal != 0)', async () => {
    const metricsPayload = pack({ meta: { cmetrics: {} }, metrics: [] });
    const c = await send(
      pack(['app.metrics', metricsPayload, { chunk: 'm', fluent_signal: 1 }]),
      pack(['app.traces', gzipSync(metricsPayload), { chunk: 'tr', compressed: 'gzip', fluent_signal: 2 }]),
      pack(['app.logs', [[T, { message: 'log' }]], { chunk: 'l', fluent_signal: 0 }]),
    );
    expect(await c.waitForReplies(3)).toEqual([{ ack: 'm' }, { ack: 'tr' }, { ack: 'l' }]);
    expect(h!.intake.records.map((r) => r.message)).toEqual(['log']);
  });

  it('ignores nil heartbeats and keeps the connection', async () => {
    const c = await send(pack(null), pack(null), pack(['app.hb', [[1_795_500_000, { message: 'after heartbeat' }]], { chunk: 'h' }]));
    expect(await c.waitForReplies(1)).toEqual([{ ack: 'h' }]);
    expect(h!.intake.records.map((r) => [r.message, r.timestamp])).toEqual([['after heartbeat', 1_795_500_000_000]]);
  });

  it('keeps Message mode option.metadata under fields.__metadata, and omits it when empty', async () => {
    const c = await send(
      pack(['app.msg', T, { message: 'with meta', level: 'warn' }, { metadata: { otlp: { trace_id: 'abc' } }, fluent_signal: 0 }]),
      pack(['app.msg', 1_795_500_001, { message: 'no meta' }, { metadata: {}, chunk: 'mm' }]),
    );
    await c.waitForReplies(1);
    const [a, b] = h!.intake.records;
    expect(a).toMatchObject({ message: 'with meta', level: 'warn', timestamp: T_MS, fields: { __metadata: { otlp: { trace_id: 'abc' } } } });
    expect(b.fields).toEqual({});
    expect(b.timestamp).toBe(1_795_500_001_000);
    expect(await counterValue(h!.metrics, 'recordsReceived', { source: 'forward', format: 'message' })).toBe(2);
  });

  it('hands records without fields, metadata included, to an intake that reads none', async () => {
    const intake = new CollectingIntake();
    intake.readsFields = false;
    h = await startSource({}, intake);
    const c = await send(
      pack(['app.msg', T, { message: 'with meta', level: 'warn', user: 'bob' }, { metadata: { otlp: { trace_id: 'abc' } }, chunk: 'nf' }]),
      pack(['app.fwd', [[T, { message: 'forward mode', pod: 'p-1' }]], { chunk: 'nf2' }]),
    );
    expect(await c.waitForReplies(2)).toEqual([{ ack: 'nf' }, { ack: 'nf2' }]);
    expect(intake.records.map((r) => [r.message, r.level, r.timestamp, r.fields])).toEqual([
      ['with meta', 'warn', T_MS, {}],
      ['forward mode', 'unknown', T_MS, {}],
    ]);
  });

  it('prefers a timestamp field in the record over the transport time', async () => {
    const c = await send(pack(['app.ts', [[T, { message: 'm', time: '2026-01-02T03:04:05.5Z' }]], { chunk: 'ts' }]));
    await c.waitForReplies(1);
    expect(h!.intake.records[0].timestamp).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 500));
  });

  it('skips and counts malformed entries, admits and acks the rest', async () => {
    const c = await send(pack(['app.bad', [[T, { message: 'good' }], ['not-a-time', { message: 'bad' }], [T], [T, 'bare string']], { chunk: 'b' }]));
    expect(await c.waitForReplies(1)).toEqual([{ ack: 'b' }]);
    expect(h!.intake.records.map((r) => r.message)).toEqual(['good', 'bare string']);
    expect(await counterValue(h!.metrics, 'recordsRejected', { reason: 'malformed_entry' })).toBe(2);
  });
});
