/**
 * Content-Encoding `snappy`: the raw block format (not the framing format),
 * as Vector and Fluent Bit send it
 * (https://github.com/google/snappy/blob/main/format_description.txt).
 * The block starts with its uncompressed length as a varint, so an oversized
 * body is refused before anything is allocated. The element stream is then
 * walked once without copying, and must produce exactly that length: snappyjs
 * stops quietly at the end of a truncated stream and returns the declared
 * length padded with NUL bytes (a 6-byte body declaring 60 MB would become a
 * 60 MB record).
 */
import { uncompress } from 'snappyjs';
import { MalformedBodyError, PayloadTooLargeError } from '../errors.js';

/** The little-endian base-128 varint preamble (at most 5 bytes for a uint32). */
export function snappyUncompressedLength(body: Uint8Array): number | undefined {
  let length = 0;
  for (let i = 0; i < 5 && i < body.length; i++) {
    length += (body[i] & 0x7f) * 2 ** (7 * i);
    if (body[i] < 0x80) return length;
  }
  return undefined;
}

function truncated(at: number): MalformedBodyError {
  return new MalformedBodyError('block is truncated or inconsistent with its elements', { encoding: 'snappy', offset: at });
}

/** Bytes the block's elements produce, walked from `start` (just past the preamble); throws at the first element that does not fit. */
export function snappyProducedLength(body: Uint8Array, start: number, declared: number): number {
  let out = 0;
  for (let pos = start; pos < body.length; ) {
    const at = pos;
    const tag = body[pos++];
    let len: number;
    if ((tag & 3) === 0) {
      len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (pos + extra > body.length) throw truncated(at);
        len = 1;
        for (let i = 0; i < extra; i++) len += body[pos + i] * 2 ** (8 * i);
        pos += extra;
      }
      if (pos + len > body.length) throw truncated(at);
      pos += len;
    } else {
      const extra = [0, 1, 2, 4][tag & 3];
      if (pos + extra > body.length) throw truncated(at);
      let offset: number;
      if ((tag & 3) === 1) {
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) | body[pos];
      } else {
        len = (tag >>> 2) + 1;
        offset = 0;
        for (let i = 0; i < extra; i++) offset += body[pos + i] * 2 ** (8 * i);
      }
      pos += extra;
      if (offset === 0 || offset > out) throw truncated(at);
    }
    out += len;
    if (out > declared) throw truncated(at);
  }
  return out;
}

export function unsnappyBody(body: Buffer, maxOutput: number): Buffer {
  const length = snappyUncompressedLength(body);
  if (length === undefined) throw new MalformedBodyError('missing uncompressed-length preamble', { encoding: 'snappy', offset: 0 });
  if (length > maxOutput) {
    throw new PayloadTooLargeError('max_decompressed_bytes', maxOutput, `snappy body declares ${length} uncompressed bytes`);
  }
  let preamble = 1;
  while (body[preamble - 1] >= 0x80) preamble++;
  const produced = snappyProducedLength(body, preamble, length);
  if (produced !== length) {
    throw new MalformedBodyError(`block declares ${length} uncompressed bytes but its elements produce ${produced}`, { encoding: 'snappy' });
  }
  try {
    return uncompress(body, maxOutput);
  } catch (err) {
    throw new MalformedBodyError((err as Error).message, { encoding: 'snappy' });
  }
}
