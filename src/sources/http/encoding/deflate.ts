/**
 * Content-Encoding `deflate`: per RFC 9110 a zlib-wrapped stream (RFC 1950),
 * which is what Vector sends for `compression = "zlib"`. Some clients send raw
 * RFC 1951 deflate under the same name, so a body without a zlib header is
 * inflated raw. Output is capped while inflating, off the event loop (inflate_chunk.ts).
 */
import { promisify } from 'node:util';
import { inflate, inflateRaw } from 'node:zlib';
import { INFLATE_CHUNK_BYTES } from './inflate_chunk.js';
import { zlibFailure } from './zlib_failure.js';

const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);

/** RFC 1950 §2.2: CM = 8, window ≤ 32 KiB, and the 16-bit header is a multiple of 31. */
export function hasZlibHeader(body: Uint8Array): boolean {
  if (body.length < 2) return false;
  const cmf = body[0];
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | body[1]) % 31 === 0;
}

export async function inflateBody(body: Buffer, maxOutput: number): Promise<Buffer> {
  const options = { maxOutputLength: maxOutput, chunkSize: INFLATE_CHUNK_BYTES };
  try {
    return await (hasZlibHeader(body) ? inflateAsync(body, options) : inflateRawAsync(body, options));
  } catch (err) {
    throw zlibFailure(err, 'deflate', maxOutput);
  }
}
