/**
 * Every refusal of the HTTP source through a real server: the status the
 * senders act on, the JSON error body, Retry-After, metrics, and that nothing
 * reached the intake.
 */
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { counterValue, startHarness, type Harness } from './harness.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const JSON_TYPE = ['Content-Type', 'application/json'];

describe('auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ auth: { bearer_token: 'tok-123', basic: { user: 'vector', password: 'p@ss:word' } } });
  });
  afterAll(() => h.close());

  it('accepts the bearer token and the basic credentials', async () => {
    expect((await h.post('/', '{"message":"a"}', [...JSON_TYPE, 'Authorization', 'Bearer tok-123'])).status).toBe(200);
    expect((await h.post('/', '{"message":"b"}', [...JSON_TYPE, 'Authorization', basic('vector', 'p@ss:word')])).status).toBe(200);
    expect(h.intake.drain().map((r) => r.message)).toEqual(['a', 'b']);
  });

  const bad: Array<[string, string[]]> = [
    ['no Authorization header', []],
    ['a wrong bearer token', ['Authorization', 'Bearer tok-124']],
    ['a bearer token prefix', ['Authorization', 'Bearer tok-12']],
    ['a wrong basic password', ['Authorization', basic('vector', 'p@ss:wordX')]],
    ['a wrong basic user', ['Authorization', basic('vectorX', 'p@ss:word')]],
    ['an unknown scheme', ['Authorization', 'Digest tok-123']],
  ];
  for (const [label, headers] of bad) {
    it(`answers 401 with WWW-Authenticate for ${label}`, async () => {
      const reply = await h.post('/', '{"message":"x"}', [...JSON_TYPE, ...headers]);
      expect(reply.status).toBe(401);
      expect(reply.json).toMatchObject({ code: 401, error: 'missing or invalid credentials' });
      expect(reply.headers['www-authenticate']).toContain('Bearer realm="lookout"');
      expect(reply.headers['www-authenticate']).toContain('Basic realm="lookout"');
      expect(h.intake.records).toHaveLength(0);
    });
  }

  it('counts auth refusals', async () => {
    expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'auth' })).toBe(bad.length);
    expect(await counterValue(h.metrics, 'requestsTotal', { source: 'http', status: '401' })).toBe(bad.length);
  });
});

describe('malformed bodies (400, which Fluent Bit and Vector drop)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.intake.drain();
  });

  it('names the line of a broken element in a JSON array', async () => {
    const body = '[\n{"message":"ok 1"},\n{"message":"ok 2"},\n{"message": nope}\n]';
    const reply = await h.post('/', body, JSON_TYPE);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ code: 400, format: 'json', line: 4, offset: body.indexOf('{"message": nope') });
    expect(String(reply.json.error)).toContain('line 4');
    expect(h.intake.records).toHaveLength(0);
  });

  it('reports a truncated JSON array', async () => {
    const reply = await h.post('/', '[{"message":"a"},{"message":"b"', JSON_TYPE);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ format: 'json', line: 1 });
  });

  it('reports a missing comma between array elements', async () => {
    const reply = await h.post('/', '[{"a":1}\n {"b":2}]', JSON_TYPE);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ format: 'json', line: 2, offset: 10 });
  });

  it('names the failing line of NDJSON, counting blank lines', async () => {
    const body = '{"message":"a"}\n\n{"message":"b"}\n{"message":"c"\n{"message":"d"}';
    const reply = await h.post('/', body, ['Content-Type', 'application/x-ndjson']);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ format: 'ndjson', line: 4, offset: body.indexOf('{"message":"c"') });
    expect(String(reply.json.error)).toMatch(/^malformed ndjson at line 4/);
  });

  it('gives the byte offset of a truncated msgpack entry', async () => {
    const good = Buffer.from(encode([1_795_500_000, { log: 'a' }]));
    const truncated = Buffer.from(encode([1_795_500_001, { log: 'a much longer message that gets cut' }])).subarray(0, 12);
    const reply = await h.post('/', Buffer.concat([good, truncated]), ['Content-Type', 'application/msgpack']);
    expect(reply.status).toBe(400);
    // Cut inside the str8 value that starts 11 bytes into the entry: that header is where the data runs out.
    expect(reply.json).toMatchObject({ format: 'msgpack', offset: good.length + 11 });
    expect(String(reply.json.error)).toContain(`starting at byte ${good.length}`);
  });

  it('gives the byte offset of a msgpack object that is not a Fluent entry', async () => {
    const good = Buffer.from(encode([1_795_500_000, { log: 'a' }]));
    const reply = await h.post('/', Buffer.concat([good, Buffer.from(encode(['tag-only']))]), ['Content-Type', 'application/x-msgpack']);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ format: 'msgpack', offset: good.length });
  });

  it('rejects the never-used msgpack type byte 0xc1 at its offset', async () => {
    const good = Buffer.from(encode({ log: 'a' }));
    const reply = await h.post('/', Buffer.concat([good, Buffer.from([0x92, 0xc1])]), ['Content-Type', 'application/msgpack']);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ format: 'msgpack', offset: good.length + 1 });
  });

  it('says a gzip body is truncated', async () => {
    const gz = gzipSync(Buffer.from(JSON.stringify([{ message: 'x'.repeat(5000) }, { message: 'y' }])));
    const reply = await h.post('/', gz.subarray(0, gz.length - 20), [...JSON_TYPE, 'Content-Encoding', 'gzip']);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ code: 400, encoding: 'gzip' });
    expect(String(reply.json.error)).toContain('truncated');
  });

  it('rejects a corrupt snappy block', async () => {
    const reply = await h.post('/', Buffer.from([0x10, 0xff, 0xff, 0xff]), [...JSON_TYPE, 'Content-Encoding', 'snappy']);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ encoding: 'snappy' });
  });

  it('rejects a zstd body that is not zstd', async () => {
    const reply = await h.post('/', 'plain text, not zstd', [...JSON_TYPE, 'Content-Encoding', 'zstd']);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ encoding: 'zstd', offset: 0 });
  });

  it('counts malformed refusals', async () => {
    expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'malformed' })).toBe(10);
  });
});

describe('unsupported media (415)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('refuses an unknown Content-Encoding', async () => {
    const reply = await h.post('/', 'x', [...JSON_TYPE, 'Content-Encoding', 'br']);
    expect(reply.status).toBe(415);
    expect(reply.json).toMatchObject({ code: 415, content_encoding: 'br' });
  });

  it('refuses an explicit Content-Type that names no format (OTLP protobuf)', async () => {
    const reply = await h.post('/', Buffer.from([0x0a, 0x01]), ['Content-Type', 'application/x-protobuf']);
    expect(reply.status).toBe(415);
    expect(reply.json).toMatchObject({ content_type: 'application/x-protobuf' });
    expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'unsupported' })).toBe(2);
  });
});

describe('limits (413)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ max_body_bytes: 64 * 1024, max_decompressed_bytes: 256 * 1024, max_records_per_request: 100 });
  });
  afterAll(() => h.close());

  it('refuses a body whose Content-Length is over max_body_bytes', async () => {
    const reply = await h.post('/', Buffer.alloc(64 * 1024 + 1, 0x61), ['Content-Type', 'text/plain']);
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ code: 413, limit: 'max_body_bytes', limit_value: 64 * 1024 });
  });

  it('stops reading a chunked body once it passes max_body_bytes', async () => {
    const reply = await h.post('/', Buffer.alloc(300 * 1024, 0x61), ['Content-Type', 'text/plain', 'Transfer-Encoding', 'chunked']);
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ limit: 'max_body_bytes' });
  });

  it('refuses more records than max_records_per_request', async () => {
    const lines = Array.from({ length: 101 }, (_, i) => `line ${i}`).join('\n');
    const reply = await h.post('/', lines, ['Content-Type', 'text/plain']);
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ limit: 'max_records_per_request', limit_value: 100 });
    expect((await h.post('/', lines.slice(0, lines.lastIndexOf('\n')), ['Content-Type', 'text/plain'])).json).toEqual({ accepted: 100 });
  });

  it('refuses an identity body that is over max_decompressed_bytes only by decompression', async () => {
    const reply = await h.post('/', gzipSync(Buffer.alloc(300 * 1024, 0x61)), ['Content-Type', 'text/plain', 'Content-Encoding', 'gzip']);
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ limit: 'max_decompressed_bytes' });
  });

  it('counts too_large refusals', async () => {
    expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'too_large' })).toBe(4);
  });
});

describe('back pressure from the intake', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers 429 with Retry-After when the buffer is full, and admits after a drain', async () => {
    h.intake.capacity = 3;
    const body = JSON.stringify([{ message: 'a' }, { message: 'b' }]);
    expect((await h.post('/', body, JSON_TYPE)).status).toBe(200);
    const full = await h.post('/', body, JSON_TYPE);
    expect(full.status).toBe(429);
    expect(full.headers['retry-after']).toBe('1');
    expect(full.json).toMatchObject({ code: 429, retry_after_seconds: 1, format: 'json' });
    expect(h.intake.records).toHaveLength(2);
    expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'buffer_full' })).toBe(2);

    h.intake.drain();
    const retried = await h.post('/', body, JSON_TYPE);
    expect(retried.status).toBe(200);
    expect(retried.json).toEqual({ accepted: 2 });
  });

  it('answers 503 with Retry-After while shutting down', async () => {
    h.intake.shuttingDown = true;
    const reply = await h.post('/', '{"message":"late"}', JSON_TYPE);
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(reply.json).toMatchObject({ code: 503 });
    expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'shutting_down' })).toBe(1);
    expect(await counterValue(h.metrics, 'requestsTotal', { source: 'http', status: '503' })).toBe(1);
  });
});
