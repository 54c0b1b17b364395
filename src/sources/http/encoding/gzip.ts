/**
 * Content-Encoding `gzip` (RFC 1952; Vector `compression = "gzip"`, Fluent Bit
 * `compress gzip`). Concatenated gzip members are all inflated, as RFC 9110
 * allows. Output is capped while inflating, off the event loop (inflate_chunk.ts).
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { INFLATE_CHUNK_BYTES } from './inflate_chunk.js';
import { zlibFailure } from './zlib_failure.js';

const gunzipAsync = promisify(gunzip);

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export async function gunzipBody(body: Buffer, maxOutput: number): Promise<Buffer> {
  try {
    return await gunzipAsync(body, { maxOutputLength: maxOutput, chunkSize: INFLATE_CHUNK_BYTES });
  } catch (err) {
    throw zlibFailure(err, 'gzip', maxOutput);
  }
}
