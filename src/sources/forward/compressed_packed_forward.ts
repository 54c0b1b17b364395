/**
 * CompressedPackedForward mode: PackedForward whose payload is compressed;
 * `option.compressed` must be present and not `"text"`. The spec names gzip;
 * Fluent Bit's in_forward also takes zstd and, like it, we pick the codec from
 * the payload's magic bytes rather than trusting the option. Decompressed
 * output is bounded (`max_decompressed_bytes`) so a small "zip bomb" cannot
 * exhaust memory. Gzip runs on libuv's thread pool; zstd uses fzstd (pure JS).
 * Spec: https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#compressedpackedforward-mode
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { DecompressionError } from './errors.js';

const gunzipAsync = promisify(gunzip);

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Input slice fed to the zstd decoder at a time, so the output bound is checked as data is produced. */
const ZSTD_INPUT_SLICE = 16 * 1024;

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
      const detail = e.code === 'ERR_BUFFER_TOO_LARGE' ? `gzip payload exceeds max_decompressed_bytes ${limit}` : `gzip payload is corrupt: ${e.message}`;
      throw new DecompressionError(detail, messageOffset);
    }
  }
  if (startsWith(payload, ZSTD_MAGIC)) return unzstd(payload, limit, messageOffset);
  throw new DecompressionError('compressed payload is neither gzip nor zstd', messageOffset);
}

class OutputLimitReached extends Error {}

function unzstd(payload: Uint8Array, limit: number, messageOffset: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const stream = new ZstdDecompress((data) => {
    total += data.length;
    if (total > limit) throw new OutputLimitReached();
    // fzstd may hand out views of its window buffer, which it keeps reusing.
    parts.push(data.slice());
  });
  try {
    for (let i = 0; i < payload.length; i += ZSTD_INPUT_SLICE) {
      const end = Math.min(i + ZSTD_INPUT_SLICE, payload.length);
      stream.push(payload.subarray(i, end), end === payload.length);
    }
  } catch (err) {
    const detail = err instanceof OutputLimitReached ? `zstd payload exceeds max_decompressed_bytes ${limit}` : `zstd payload is corrupt: ${(err as Error).message}`;
    throw new DecompressionError(detail, messageOffset);
  }
  return Buffer.concat(parts, total);
}
