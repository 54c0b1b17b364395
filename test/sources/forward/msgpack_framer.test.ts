/** The stream framer on its own: every split point, every msgpack type family, offsets and limits. */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { EventTime, fluentExtensionCodec } from '../../../src/sources/fluent_entry.js';
import { ForwardDecodeError, MessageTooLargeError } from '../../../src/sources/forward/errors.js';
import { MsgpackFramer } from '../../../src/sources/forward/msgpack_framer.js';

const objects: unknown[] = [
  null,
  true,
  [1, -1, 200, -200, 70_000, -70_000, 2 ** 40, -(2 ** 40), 1.5, Math.PI],
  { s: 'x'.repeat(31), s8: 'y'.repeat(200), s16: 'z'.repeat(70_000 >> 4), bin: new Uint8Array(300), nested: { a: [[], {}] } },
  Array.from({ length: 20 }, (_, i) => i),
  Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
  ['tag', new EventTime(1_795_500_000, 5), { m: 'ö' }],
];
const stream = Buffer.concat(objects.map((o) => encode(o, { extensionCodec: fluentExtensionCodec })));
const sizes = objects.map((o) => encode(o, { extensionCodec: fluentExtensionCodec }).length);
const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));

function frameAll(pieces: Uint8Array[]) {
  const framer = new MsgpackFramer(1 << 20);
  return pieces.flatMap((p) => {
    const { frames, error } = framer.push(p);
    if (error) throw error;
    return frames.map((f) => ({ offset: f.offset, bytes: Buffer.from(f.bytes) }));
  });
}

describe('MsgpackFramer', () => {
  it('finds every object whole, with its stream offset', () => {
    const frames = frameAll([stream]);
    expect(frames.map((f) => f.offset)).toEqual(offsets);
    expect(frames.map((f) => f.bytes.length)).toEqual(sizes);
  });

  it('gives the same frames for every two-piece split and for single bytes', () => {
    const whole = frameAll([stream]);
    for (let cut = 1; cut < stream.length; cut += 97) {
      expect(frameAll([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(whole);
    }
    expect(frameAll(Array.from(stream, (b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('returns the frames before a byte that is not msgpack, with the error at its offset', () => {
    const framer = new MsgpackFramer(1024);
    const good = encode(['a', 1]);
    const { frames, error } = framer.push(Buffer.concat([good, Buffer.from([0xc1])]));
    expect(frames).toHaveLength(1);
    expect(error).toBeInstanceOf(ForwardDecodeError);
    expect(error?.byteOffset).toBe(good.length);
  });

  it('rejects a declared length beyond the limit before the bytes arrive', () => {
    const framer = new MsgpackFramer(1024);
    const { error } = framer.push(Buffer.from([0x92, 0xc6, 0x7f, 0xff, 0xff, 0xff]));
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(framer.pendingBytes).toBe(6);
  });

  it('rejects an incomplete object that grows beyond the limit', () => {
    const framer = new MsgpackFramer(1024);
    const deep = Buffer.alloc(2000, 0x91); // 2000 nested one-element arrays, never completed
    expect(framer.push(deep.subarray(0, 1000)).error).toBeUndefined();
    expect(framer.push(deep.subarray(1000)).error).toBeInstanceOf(MessageTooLargeError);
  });

  it('never rewrites bytes of frames it handed out', () => {
    const framer = new MsgpackFramer(1 << 20);
    const a = encode(['first', 'x'.repeat(100)]);
    const b = encode(['second', 'y'.repeat(100)]);
    const got = framer.push(Buffer.concat([a, b.subarray(0, 10)])).frames;
    const copy = Buffer.from(got[0].bytes);
    framer.push(b.subarray(10));
    framer.push(Buffer.concat([a.subarray(0, 50)]));
    framer.push(a.subarray(50));
    expect(Buffer.from(got[0].bytes)).toEqual(copy);
  });
});
