/**
 * The pure body decoders on inputs that are awkward for their framing: every
 * msgpack type family for the extent walker, JSON strings full of brackets,
 * quotes and backslashes for the value scanner.
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { EventTime, fluentExtensionCodec } from '../../../src/sources/fluent_entry.js';
import { MalformedBodyError, PayloadTooLargeError } from '../../../src/sources/http/errors.js';
import { decodeBody, formatFromContentType, sniffFormat } from '../../../src/sources/http/format/body_format.js';
import { decodeJson } from '../../../src/sources/http/format/json.js';
import { decodeMsgpack } from '../../../src/sources/http/format/msgpack.js';
import { decodeNdjson } from '../../../src/sources/http/format/ndjson.js';
import { DecodeBudget, DecodeLimitError } from '../../../src/sources/decode_limits.js';
import { measureMsgpack } from '../../../src/sources/msgpack_shape.js';

const limits = { maxRecords: 1000, maxDecodedBytes: 64 * 1024 * 1024, maxDepth: 64 };
const budget = () => new DecodeBudget(limits);
const msgpackObjectEnd = (b: Uint8Array, start: number) => measureMsgpack(b, start, budget(), 0);

describe('msgpack extent walker', () => {
  const values: Array<[string, unknown]> = [
    ['nil, bools, fixints', [null, true, false, 0, 127, -1, -32]],
    ['uint8..uint64, int8..int64', [200, 60_000, 4_000_000_000, 2 ** 53 - 1, -100, -30_000, -2_000_000_000, -(2 ** 53 - 1)]],
    ['float64', [1.5, -0.000123, 1e300]],
    ['str8 / str16 / str32', ['x'.repeat(40), 'y'.repeat(300), 'z'.repeat(70_000)]],
    ['bin8 / bin16 / bin32', [new Uint8Array(10), new Uint8Array(300), new Uint8Array(70_000)]],
    ['array16 / map16', [Array.from({ length: 20 }, (_, i) => i), Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]))]],
    ['array32 / map32 (70 000 entries)', [Array.from({ length: 70_000 }, () => 0), Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, 0]))]],
    ['EventTime fixext8 and nested maps', [[new EventTime(1, 2), { a: { b: { c: [1, { d: 'e' }] } } }]]],
  ];
  for (const [label, value] of values) {
    it(`measures ${label} exactly`, () => {
      const bytes = encode(value, { extensionCodec: fluentExtensionCodec });
      const padded = new Uint8Array(bytes.length + 3);
      padded.set(bytes, 0);
      expect(msgpackObjectEnd(padded, 0)).toBe(bytes.length);
    });
  }

  it('measures ext8/16/32 payloads', () => {
    for (const size of [3, 300, 70_000]) {
      const header = size < 256 ? [0xc7, size] : size < 65_536 ? [0xc8, size >> 8, size & 0xff] : [0xc9, 0, size >> 16, (size >> 8) & 0xff, size & 0xff];
      const bytes = Buffer.concat([Buffer.from(header), Buffer.from([5]), Buffer.alloc(size)]);
      expect(msgpackObjectEnd(bytes, 0)).toBe(bytes.length);
    }
  });

  it('charges each record its estimated heap size, not its wire size, and keeps the entry time', () => {
    const a = encode([[new EventTime(1_795_500_000, 5_000_000), {}], { log: 'a' }], { extensionCodec: fluentExtensionCodec });
    const b = encode([[new EventTime(1_795_500_001, 0), {}], { log: 'bb' }], { extensionCodec: fluentExtensionCodec });
    const records = decodeMsgpack(Buffer.concat([a, b]), budget());
    // entry [2] 96 + header [2] 96 + EventTime 8 + meta {} 64 + record {1 pair} 96 + "log" 3 + value 1 or 2
    expect(records.map((r) => r.size)).toEqual([364, 365]);
    expect(a.length).toBeLessThan(40);
    expect(records.map((r) => r.transportTime)).toEqual([1_795_500_000_005, 1_795_500_001_000]);
  });

  it('stops at max records before building more', () => {
    const one = encode({ log: 'x' });
    expect(() => decodeMsgpack(Buffer.concat(Array.from({ length: 4 }, () => one)), new DecodeBudget({ ...limits, maxRecords: 3 }))).toThrow(DecodeLimitError);
  });
});

describe('JSON value scanner', () => {
  it('is not fooled by brackets, braces, quotes and backslashes inside strings', () => {
    const tricky = [
      { message: 'a ] } [ { "quoted" \\ backslash \\\\' },
      { message: 'ends with backslash \\', n: [1, [2, [3]]] },
      { message: '\u2028 unicode wörld \ud83d\ude00 ,,, "' },
    ];
    for (const body of [JSON.stringify(tricky), tricky.map((t) => JSON.stringify(t)).join(''), tricky.map((t) => JSON.stringify(t, null, 2)).join('\n')]) {
      expect(decodeJson(Buffer.from(body), budget()).map((r) => r.fields)).toEqual(tricky);
    }
  });

  it('accepts a UTF-8 BOM, scalars, nested arrays and consecutive arrays', () => {
    const records = decodeJson(Buffer.from('\ufeff[1, "s", null, [2]] [{"a":1}]'), budget());
    expect(records.map((r) => r.fields)).toEqual([{ message: '1' }, { message: 's' }, { message: 'null' }, { message: '[2]' }, { a: 1 }]);
  });

  it('keeps the last of duplicate keys (Fluent Bit date key first, record date later)', () => {
    const [r] = decodeJson(Buffer.from('[{"date":1795500000.5,"message":"m","date":"2026-01-01T00:00:00Z"}]'), budget());
    expect(r.fields).toEqual({ date: '2026-01-01T00:00:00Z', message: 'm' });
  });

  it('decodes bodies past 128 KiB record by record, multi-byte text intact, and locates an error in bytes', () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({ message: `wörld ${i} \u{1F600} ${'x'.repeat(100 + (i % 50))}`, n: i }));
    const body = JSON.stringify(records);
    expect(Buffer.byteLength(body)).toBeGreaterThan(128 * 1024);
    expect(decodeJson(Buffer.from(body), budget()).map((r) => r.fields)).toEqual(records);
    expect(decodeNdjson(Buffer.from(records.map((r) => JSON.stringify(r)).join('\n')), budget()).map((r) => r.fields)).toEqual(records);
    const at = body.lastIndexOf('"n":');
    const broken = body.slice(0, at) + '@' + body.slice(at);
    try {
      decodeJson(Buffer.from(broken), budget());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MalformedBodyError);
      expect((err as MalformedBodyError).location).toMatchObject({ format: 'json', line: 1, offset: Buffer.byteLength(body.slice(0, at)) });
    }
  });

  it('reports a trailing comma with its line and byte offset (UTF-8 aware)', () => {
    const body = '[{"message":"wörld"},\n]';
    try {
      decodeJson(Buffer.from(body), budget());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MalformedBodyError);
      expect((err as MalformedBodyError).location).toEqual({ format: 'json', line: 2, offset: Buffer.byteLength('[{"message":"wörld"},\n') });
    }
  });
});

describe('format detection', () => {
  it('maps content types, ignoring parameters and case', () => {
    expect(formatFromContentType('Application/JSON; charset=utf-8')).toBe('json');
    expect(formatFromContentType('application/jsonlines')).toBe('ndjson');
    expect(formatFromContentType('application/x-msgpack')).toBe('msgpack');
    expect(formatFromContentType('application/octet-stream')).toBeUndefined();
    expect(formatFromContentType(undefined)).toBeUndefined();
    expect(() => formatFromContentType('image/png')).toThrow(/unsupported Content-Type "image\/png"/);
  });

  it('sniffs by the first significant byte', () => {
    expect(sniffFormat(Buffer.from('  [1]'))).toBe('json');
    expect(sniffFormat(Buffer.from('{"a":1}\n{"a":2}'))).toBe('json');
    expect(sniffFormat(Buffer.from('{"version":"1.1"}\0'))).toBe('gelf');
    expect(sniffFormat(Buffer.from([0x92, 0xd7, 0x00]))).toBe('msgpack');
    expect(sniffFormat(Buffer.from('level=info msg=hi'))).toBe('text');
  });

  it('reads application/json as GELF only when every record is a GELF message', () => {
    const gelf = '{"version":"1.1","host":"h","short_message":"m","_x":1}\n';
    expect(decodeBody('json', Buffer.from(gelf + gelf), limits).format).toBe('gelf');
    expect(decodeBody('json', Buffer.from(gelf + '{"message":"plain"}'), limits).format).toBe('json');
  });
});
