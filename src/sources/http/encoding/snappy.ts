/**
 * Content-Encoding `snappy`: the raw block format (not the framing format),
 * as Vector and Fluent Bit send it
 * (https://github.com/google/snappy/blob/main/format_description.txt).
 * The block starts with its uncompressed length as a varint, so an oversized
 * body is refused before anything is allocated.
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

export function unsnappyBody(body: Buffer, maxOutput: number): Buffer {
  const length = snappyUncompressedLength(body);
  if (length === undefined) throw new MalformedBodyError('missing uncompressed-length preamble', { encoding: 'snappy', offset: 0 });
  if (length > maxOutput) {
    throw new PayloadTooLargeError('max_decompressed_bytes', maxOutput, `snappy body declares ${length} uncompressed bytes`);
  }
  try {
    return uncompress(body, maxOutput);
  } catch (err) {
    throw new MalformedBodyError((err as Error).message, { encoding: 'snappy' });
  }
}
