/**
 * CompressedPackedForward mode: PackedForward whose payload is compressed;
 * `option.compressed` must be present and not `"text"`. The spec names gzip;
 * Fluent Bit's in_forward also takes zstd and, like it, we pick the codec from
 * the payload's magic bytes rather than trusting the option. Decompressed
 * output is bounded (`max_decompressed_bytes`) so a small "zip bomb" cannot
 * exhaust memory. Gzip runs on libuv's thread pool; zstd goes through the
 * decoder the HTTP source uses (../zstd.ts), with the same frame-header,
 * window and output limits. A payload over the limit is a PayloadLimitError,
 * which the connection answers like any message that can never be accepted.
 * Spec: https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#compressedpackedforward-mode
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { unzstd, ZstdLimitError } from '../zstd.js';
import { DecompressionError, MessageRefusedError } from './errors.js';

const gunzipAsync = promisify(gunzip);

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** True when `option.compressed` asks for decompression; "text" is the spec's explicit "none". */
export function isCompressed(compressed: string | undefined): boolean {
  return compressed !== undefined && compressed !== 'text';
}

export async function decompressPayload(payload: Uint8Array, limit: number, messageOffset: number): Promise<Uint8Array> {
  if (startsWith(payload, GZIP_MAGIC)) {
    try {
      return await gunzipAsync(payload, { maxOutputLength: limit });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ERR_BUFFER_TOO_LARGE') throw new MessageRefusedError('too_large', `gzip payload exceeds max_decompressed_bytes ${limit}`, messageOffset);
      throw new DecompressionError(`gzip payload is corrupt: ${e.message}`, messageOffset);
    }
  }
  if (startsWith(payload, ZSTD_MAGIC)) {
    try {
      return unzstd(payload, limit);
    } catch (err) {
      if (err instanceof ZstdLimitError) throw new MessageRefusedError('too_large', `zstd payload: ${err.detail} (max_decompressed_bytes ${limit})`, messageOffset);
      throw new DecompressionError(`zstd payload is corrupt: ${(err as Error).message}`, messageOffset);
    }
  }
  throw new DecompressionError('compressed payload is neither gzip nor zstd', messageOffset);
}
