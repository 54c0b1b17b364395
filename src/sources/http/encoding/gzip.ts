/**
 * Content-Encoding `gzip` (RFC 1952; Vector `compression = "gzip"`, Fluent Bit
 * `compress gzip`). Concatenated gzip members are all inflated, as RFC 9110
 * allows. Output is capped while inflating.
 */
import { gunzipSync } from 'node:zlib';
import { zlibFailure } from './zlib_failure.js';

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function gunzipBody(body: Buffer, maxOutput: number): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: maxOutput });
  } catch (err) {
    throw zlibFailure(err, 'gzip', maxOutput);
  }
}
