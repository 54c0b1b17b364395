import { Decoder, DecodeError, encode, ExtData } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { DecodeBudget } from '../../src/sources/decode_limits.js';
import { EventTime, EventTimeError, fluentExtensionCodec } from '../../src/sources/fluent_entry.js';
import { measureMsgpack } from '../../src/sources/msgpack_shape.js';
import { MeasuredMsgpackReader } from '../../src/sources/msgpack_value.js';
import { mulberry32 } from '../analysis/detector/support.js';

const library = new Decoder({ extensionCodec: fluentExtensionCodec });
const LIMITS = { maxRecords: 1_000_000, maxDecodedBytes: 1 << 30, maxDepth: 64 };

/** Both decoders on the same bytes, measured first as the Forward source does: the values, or the errors' classes and messages. */
function both(bytes: Uint8Array): { ours: unknown; theirs: unknown } {
  const b = Buffer.from(bytes);
  const budget = new DecodeBudget(LIMITS);
  for (let pos = 0; pos < b.length; ) pos = measureMsgpack(b, pos, budget, 0);
  const run = (decode: () => unknown[]) => {
    try {
      return { values: decode() };
    } catch (err) {
      return { error: (err as Error).constructor.name, message: (err as Error).message };
    }
  };
  const ours = run(() => {
    const reader = new MeasuredMsgpackReader(b);
    const out: unknown[] = [];
    while (!reader.done) out.push(reader.value());
    return out;
  });
  const theirs = run(() => [...library.decodeMulti(b)]);
  return { ours, theirs };
}

function randomValue(rng: () => number, depth: number): unknown {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const int = (max: number) => Math.floor(rng() * max);
  const text = () =>
    Array.from({ length: pick([0, 1, 5, 31, 32, 40, 255, 256, 300]) }, () => pick(['a', 'Z', '9', ' ', 'é', 'ß', '✓', '支', '🚨', '"', '\\', '\n'])).join('');
  const kind = depth > 3 ? int(8) : int(11);
  switch (kind) {
    case 0: return null;
    case 1: return rng() < 0.5;
    case 2: return pick([0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1]);
    case 3: return (rng() - 0.5) * 10 ** int(12);
    case 4: return text();
    case 5: return new Uint8Array(Array.from({ length: pick([0, 3, 255, 256]) }, () => int(256)));
    case 6: return EventTime.fromMillis(1_700_000_000_000 + int(1e9));
    case 7: return pick([new Date(1_700_000_000_123), new ExtData(int(100) + 1, new Uint8Array([1, 2, 3])), new ExtData(-5, new Uint8Array(16))]);
    case 8:
    case 9: {
      const map: Record<string, unknown> = {};
      for (let i = int(18); i > 0; i--) map[pick(['message', 'log', 'host', 'kubernetes', 'a', 'x'.repeat(33), '', 'ключ', `k${int(40)}`])] = randomValue(rng, depth + 1);
      return map;
    }
    default:
      return Array.from({ length: pick([0, 1, 2, 16, 17]) }, () => randomValue(rng, depth + 1));
  }
}

describe('MeasuredMsgpackReader', () => {
  it('decodes what @msgpack/msgpack decodes, value for value, on 3,000 random objects', () => {
    const rng = mulberry32(11);
    for (let k = 0; k < 3_000; k++) {
      const bytes = encode(randomValue(rng, 0), { extensionCodec: fluentExtensionCodec });
      const { ours, theirs } = both(bytes);
      expect(ours).toStrictEqual(theirs);
      expect((ours as { values?: unknown[] }).values, 'decoded').toBeDefined();
    }
  });

  it('reads the encodings an encoder need not choose: 64-bit and float32 numbers, number keys, wide headers', () => {
    const cases = [
      [0xcf, 0, 0, 0, 1, 0, 0, 0, 2], // uint64
      [0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], // int64 -2
      [0xca, 0x3f, 0xc0, 0, 0], // float32 1.5
      [0xcc, 5, 0xcd, 0, 5, 0xce, 0, 0, 0, 5, 0xd0, 0xfb, 0xd1, 0xff, 0xfb, 0xd2, 0xff, 0xff, 0xff, 0xfb],
      [0x81, 0x07, 0xa1, 0x78], // {7: 'x'}
      [0xde, 0, 1, 0xd9, 1, 0x6b, 0xdc, 0, 1, 0xc0], // map16 {k: array16 [nil]}
      [0xdf, 0, 0, 0, 1, 0xda, 0, 1, 0x6b, 0xdd, 0, 0, 0, 0], // map32 {k: array32 []}
      [0xdb, 0, 0, 0, 2, 0x68, 0x69, 0xc4, 1, 9, 0xc5, 0, 1, 9, 0xc6, 0, 0, 0, 1, 9], // str32, bin8/16/32
      [0xc7, 2, 7, 1, 2, 0xc8, 0, 1, 7, 1, 0xc9, 0, 0, 0, 1, 7, 1, 0xd4, 7, 1, 0xd5, 7, 1, 2, 0xd6, 7, 0, 0, 0, 0, 0xd8, 7, ...new Array(16).fill(0)],
    ];
    for (const bytes of cases) {
      const { ours, theirs } = both(Uint8Array.from(bytes));
      expect(ours, JSON.stringify(bytes)).toStrictEqual(theirs);
      expect((ours as { values?: unknown[] }).values).toBeDefined();
    }
  });

  it('refuses what @msgpack/msgpack refuses: __proto__ and non-scalar keys, a malformed EventTime', () => {
    const proto = [0x81, 0xa9, ...Buffer.from('__proto__'), 0xc0];
    const nilKey = [0x81, 0xc0, 0x01];
    const arrayKey = [0x81, 0x91, 0x01, 0x01];
    const shortTime = [0xd6, 0x00, 0, 0, 0, 1];
    for (const [bytes, error] of [
      [proto, DecodeError],
      [nilKey, DecodeError],
      [arrayKey, DecodeError],
      [shortTime, EventTimeError],
    ] as const) {
      const { ours, theirs } = both(Uint8Array.from(bytes));
      expect(ours, JSON.stringify(bytes)).toStrictEqual(theirs);
      expect(ours).toMatchObject({ error: error.name });
    }
  });

  it('gives each distinct map key one string, and decodes invalid UTF-8 with replacement characters at any length', () => {
    const bytes = Buffer.from(encode([{ message: 1 }, { message: 2 }]));
    const reader = new MeasuredMsgpackReader(bytes);
    const [a, b] = reader.value() as Array<Record<string, number>>;
    expect(Object.keys(a)[0]).toBe(Object.keys(b)[0]);
    expect(new MeasuredMsgpackReader(Buffer.from([0xa2, 0x61, 0xff])).value()).toBe('a\ufffd');
  });

  it('returns bin and ext data as copies: the input may be overwritten (a reused HTTP body) once decoding is done', () => {
    const bytes = Buffer.from(encode({ blob: Uint8Array.from([1, 2, 3, 4]), tagged: new ExtData(0x42, Uint8Array.from([5, 6, 7])) }));
    const value = new MeasuredMsgpackReader(bytes).value() as { blob: Uint8Array; tagged: ExtData };
    bytes.fill(0xee);
    expect([...value.blob]).toEqual([1, 2, 3, 4]);
    expect(value.tagged.type).toBe(0x42);
    expect([...(value.tagged.data as Uint8Array)]).toEqual([5, 6, 7]);
  });
});
