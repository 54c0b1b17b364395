/**
 * Bodies shaped like Vector's http sink sends them (wire-formats.md §1.2, §1.3,
 * §1.8) plus the remaining framings (GELF, bare strings, sniffed bodies), all
 * through a real server; compression through the real codecs.
 */
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { init as zstdInit, compress as zstdCompress } from '@bokuweb/zstd-wasm';
import { encode } from '@msgpack/msgpack';
import { compress as snappyCompress } from 'snappyjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventTime, fluentExtensionCodec } from '../../../src/sources/fluent_entry.js';
import { OBSERVED_AT, counterValue, startHarness, type Harness } from './harness.js';

/** Vector serializes events from a BTreeMap: keys sorted at every level. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

const VECTOR_EVENTS = [
  { file: '/var/log/app/payments.log', host: 'web-1', message: 'GET /x 500', source_type: 'file', timestamp: '2026-08-21T10:00:00Z' },
  {
    container_created_at: '2026-08-21T09:00:00.000000001Z',
    container_id: 'abc123',
    container_name: 'checkout',
    host: 'docker-host',
    image: 'shop/checkout:1.2',
    label: { 'com.example.team': 'shop' },
    message: 'ERROR payment declined',
    source_type: 'docker_logs',
    stream: 'stderr',
    timestamp: '2026-08-21T10:00:00.120Z',
  },
  {
    file: '/var/log/pods/default_api-7f9_uid/api/0.log',
    kubernetes: {
      container_id: 'containerd://1',
      container_image: 'api:2',
      container_name: 'api',
      namespace_labels: {},
      pod_labels: { app: 'api' },
      pod_name: 'api-7f9',
      pod_namespace: 'default',
      pod_node_name: 'node-3',
    },
    message: 'warn: slow query 1200ms',
    source_type: 'kubernetes_logs',
    stream: 'stdout',
    timestamp: '2026-08-21T10:00:00.123456Z',
  },
  { host: 'localhost', message: 'demo line', service: 'vector', source_type: 'demo_logs', timestamp: '2026-08-21T10:00:00.123456789Z' },
].map(sortKeys) as Array<Record<string, unknown>>;

const JSON_ARRAY = `[${VECTOR_EVENTS.map((e) => JSON.stringify(e)).join(',')}]`;
const NDJSON = VECTOR_EVENTS.map((e) => JSON.stringify(e)).join('\n');
const BASE = Date.UTC(2026, 7, 21, 10, 0, 0);

function expectVectorRecords(h: Harness): void {
  const records = h.intake.drain();
  expect(records.map((r) => r.service)).toEqual(['payments', 'checkout', 'api', 'vector']);
  expect(records.map((r) => r.host)).toEqual(['web-1', 'docker-host', 'node-3', 'localhost']);
  expect(records.map((r) => r.level)).toEqual(['unknown', 'error', 'warn', 'unknown']);
  expect(records.map((r) => r.message)).toEqual(['GET /x 500', 'ERROR payment declined', 'warn: slow query 1200ms', 'demo line']);
  expect(records[0].timestamp).toBe(BASE);
  expect(records[1].timestamp).toBe(BASE + 120);
  expect(records[2].timestamp).toBeCloseTo(BASE + 123.456, 6);
  expect(records[3].timestamp).toBeCloseTo(BASE + 123.456789, 3);
  expect(records[2].fields.kubernetes).toEqual(VECTOR_EVENTS[2].kubernetes);
  expect(records[1].fields).not.toHaveProperty('timestamp');
  expect(records[1].fields.label).toEqual({ 'com.example.team': 'shop' });
}

describe('Vector http sink bodies', () => {
  let h: Harness;
  beforeAll(async () => {
    await zstdInit();
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.intake.drain();
  });

  it('codec json: one JSON array with mixed fraction lengths and sorted keys', async () => {
    const reply = await h.post('/', JSON_ARRAY, ['Content-Type', 'application/json', 'User-Agent', 'Vector/0.58.0']);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ accepted: 4 });
    expectVectorRecords(h);
    expect(await counterValue(h.metrics, 'recordsReceived', { source: 'http', format: 'json' })).toBe(4);
    expect(await counterValue(h.metrics, 'requestsTotal', { source: 'http', status: '200' })).toBeGreaterThanOrEqual(1);
  });

  it('normalizes the same records without copying their fields for an intake that reads none', async () => {
    h.intake.readsFields = false;
    try {
      expect((await h.post('/', JSON_ARRAY, ['Content-Type', 'application/json'])).status).toBe(200);
    } finally {
      h.intake.readsFields = undefined;
    }
    const records = h.intake.drain();
    expect(records.map((r) => [r.service, r.host, r.level, r.message])).toEqual([
      ['payments', 'web-1', 'unknown', 'GET /x 500'],
      ['checkout', 'docker-host', 'error', 'ERROR payment declined'],
      ['api', 'node-3', 'warn', 'warn: slow query 1200ms'],
      ['vector', 'localhost', 'unknown', 'demo line'],
    ]);
    expect(records.map((r) => r.fields)).toEqual([{}, {}, {}, {}]);
  });

  it('codec json + newline_delimited framing: NDJSON without a trailing newline, on /v1/logs', async () => {
    const reply = await h.post('/v1/logs', NDJSON, ['Content-Type', 'application/x-ndjson']);
    expect(reply.status).toBe(200);
    expectVectorRecords(h);
  });

  it('codec text: text/plain lines, trailing newline kept, charset parameter ignored', async () => {
    const reply = await h.post('/', 'first line\nERROR second line\r\n\nthird\n', ['Content-Type', 'text/plain; charset=utf-8']);
    expect(reply.json).toEqual({ accepted: 3 });
    const records = h.intake.drain();
    expect(records.map((r) => r.message)).toEqual(['first line', 'ERROR second line', 'third']);
    expect(records[1].level).toBe('error');
    expect(records.every((r) => r.timestamp === OBSERVED_AT)).toBe(true);
  });

  it('log_namespace = true: a JSON array of strings becomes message records', async () => {
    const reply = await h.post('/', '["line1","line2 with \\"quotes\\" and ] brackets"]', ['Content-Type', 'application/json']);
    expect(reply.json).toEqual({ accepted: 2 });
    expect(h.intake.drain().map((r) => r.message)).toEqual(['line1', 'line2 with "quotes" and ] brackets']);
  });

  const compressions: Array<[string, string, (b: Buffer) => Buffer]> = [
    ['gzip', 'gzip', (b) => gzipSync(b)],
    ['zlib (Content-Encoding deflate, RFC 1950 wrapper)', 'deflate', (b) => deflateSync(b)],
    ['raw deflate under Content-Encoding deflate', 'deflate', (b) => deflateRawSync(b)],
    ['zstd', 'zstd', (b) => Buffer.from(zstdCompress(b, 3))],
    ['snappy (raw block format)', 'snappy', (b) => snappyCompress(b)],
    ['two codings, undone right to left', 'deflate, gzip', (b) => gzipSync(deflateSync(b))],
    ['x-gzip alias with identity', 'identity, x-gzip', (b) => gzipSync(b)],
  ];
  for (const [label, header, compress] of compressions) {
    it(`compression: ${label}`, async () => {
      const body = compress(Buffer.from(JSON_ARRAY));
      const reply = await h.post('/', body, ['Content-Type', 'application/json', 'Content-Encoding', header]);
      expect(reply.status).toBe(200);
      expectVectorRecords(h);
    });
  }

  it('zstd with several frames and a skippable frame', async () => {
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from('abc')]);
    const [first, second] = [VECTOR_EVENTS.slice(0, 2), VECTOR_EVENTS.slice(2)].map((evs) =>
      Buffer.from(zstdCompress(Buffer.from(evs.map((e) => JSON.stringify(e)).join('\n') + '\n'), 5)),
    );
    const reply = await h.post('/', Buffer.concat([first, skippable, second]), ['Content-Type', 'application/x-ndjson', 'Content-Encoding', 'zstd']);
    expect(reply.status).toBe(200);
    expectVectorRecords(h);
  });

  it('sniffs a gzip body sent without Content-Encoding or Content-Type', async () => {
    const reply = await h.post('/', gzipSync(Buffer.from(JSON_ARRAY)), []);
    expect(reply.status).toBe(200);
    expectVectorRecords(h);
  });

  it('sniffs a zlib body labelled application/octet-stream', async () => {
    const reply = await h.post('/', deflateSync(Buffer.from(NDJSON)), ['Content-Type', 'application/octet-stream']);
    expect(reply.status).toBe(200);
    expectVectorRecords(h);
  });

  it('sniffs an unlabelled object stream (Fluent Bit json_stream without a type)', async () => {
    const reply = await h.post('/', VECTOR_EVENTS.map((e) => JSON.stringify(e)).join(''), []);
    expect(reply.status).toBe(200);
    expectVectorRecords(h);
  });

  it('sniffs an unlabelled msgpack entry stream and keeps EventTime and non-empty metadata', async () => {
    const entry = (sec: number, meta: Record<string, unknown>, rec: Record<string, unknown>) =>
      encode([[new EventTime(sec, 500_000_000), meta], rec], { extensionCodec: fluentExtensionCodec });
    const body = Buffer.concat([
      entry(1_795_500_000, {}, { log: 'plain entry' }),
      // A Fluent Bit group start marker: no log, skipped.
      encode([[new EventTime(0xffffffff, 0), {}], {}], { extensionCodec: fluentExtensionCodec }),
      entry(1_795_500_001, { otlp: { severity_number: 17 } }, { log: 'with metadata' }),
      encode([1_795_500_002, { log: 'classic shape' }]),
      encode({ log: 'bare map' }),
    ]);
    const reply = await h.post('/', body, []);
    expect(reply.json).toEqual({ accepted: 4 });
    const records = h.intake.drain();
    expect(records.map((r) => r.message)).toEqual(['plain entry', 'with metadata', 'classic shape', 'bare map']);
    expect(records.map((r) => r.timestamp)).toEqual([1_795_500_000_500, 1_795_500_001_500, 1_795_500_002_000, OBSERVED_AT]);
    expect(records[1].fields).toEqual({ __internal__: { log_metadata: { otlp: { severity_number: 17 } } } });
    expect(records[0].size).toBeGreaterThan(10);
  });

  it('codec gelf: NUL-delimited GELF without a Content-Type', async () => {
    const gelf = [
      { version: '1.1', host: 'gw-1', short_message: 'upstream timed out', full_message: 'upstream timed out\nstack', timestamp: 1795500000.25, level: 3, _request_id: 'r-1', _service: 'gateway' },
      { version: '1.1', host: 'gw-2', short_message: 'ok', timestamp: 1795500001, level: 6, _host: 'shadowed' },
    ];
    const reply = await h.post('/', gelf.map((g) => `${JSON.stringify(g)}\0`).join(''), []);
    expect(reply.json).toEqual({ accepted: 2 });
    const [a, b] = h.intake.drain();
    expect(a).toMatchObject({ message: 'upstream timed out', host: 'gw-1', level: 'error', service: 'gateway', timestamp: 1795500000250 });
    expect(a.fields).toEqual({ host: 'gw-1', full_message: 'upstream timed out\nstack', level: 3, request_id: 'r-1', service: 'gateway' });
    expect(b).toMatchObject({ message: 'ok', host: 'gw-2', level: 'info', timestamp: 1795500001000 });
    expect(b.fields._host).toBe('shadowed');
    expect(await counterValue(h.metrics, 'recordsReceived', { source: 'http', format: 'gelf' })).toBe(2);
  });

  it('Fluent Bit format gelf: newline after each object, labelled application/json', async () => {
    const body = [
      { version: '1.1', host: 'node-a', short_message: 'disk full', level: 2, timestamp: 1795500003.5, _path: '/data' },
      { version: '1.1', host: 'node-a', short_message: 'retrying', level: 4, timestamp: 1795500004.5 },
    ]
      .map((g) => `${JSON.stringify(g)}\n`)
      .join('');
    const reply = await h.post('/', body, ['Content-Type', 'application/json']);
    expect(reply.json).toEqual({ accepted: 2 });
    const records = h.intake.drain();
    expect(records.map((r) => [r.message, r.level, r.timestamp])).toEqual([
      ['disk full', 'critical', 1795500003500],
      ['retrying', 'warn', 1795500004500],
    ]);
    expect(records[0].fields.path).toBe('/data');
  });

  it('answers an empty body with 200 accepted 0 and HEAD (Vector healthcheck) with 200', async () => {
    const reply = await h.post('/', '', ['Content-Type', 'application/json']);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ accepted: 0 });
    const head = await fetch(`http://127.0.0.1:${h.port}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});
