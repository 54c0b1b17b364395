/**
 * Content-Encoding `deflate`: per RFC 9110 a zlib-wrapped stream (RFC 1950),
 * which is what Vector sends for `compression = "zlib"`. Some clients send raw
 * RFC 1951 deflate under the same name, so a body without a zlib header is
 * inflated raw. Output is capped while inflating.
 */
import { inflateRawSync, inflateSync } from 'node:zlib';
import { zlibFailure } from './zlib_failure.js';

/** RFC 1950 §2.2: CM = 8, window ≤ 32 KiB, and the 16-bit header is a multiple of 31. */
export function hasZlibHeader(body: Uint8Array): boolean {
  if (body.length < 2) return false;
  const cmf = body[0];
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | body[1]) % 31 === 0;
}

export function inflateBody(body: Buffer, maxOutput: number): Buffer {
  try {
    return hasZlibHeader(body)
      ? inflateSync(body, { maxOutputLength: maxOutput })
      : inflateRawSync(body, { maxOutputLength: maxOutput });
  } catch (err) {
    throw zlibFailure(err, 'deflate', maxOutput);
  }
}
