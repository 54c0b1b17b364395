/**
 * Content-Encoding `zstd` (RFC 8878; Vector `compression = "zstd"`, Fluent Bit
 * `compress zstd`), decoded with fzstd because Node 20's zlib has no zstd.
 *
 * Bomb safety: fzstd allocates each frame's window up front, so every frame
 * header is read first and a frame that declares more content than the limit,
 * or a window beyond both the limit and the 8 MiB every decoder must support
 * (RFC 8878 §3.1.1.1.2), is refused before decoding. Decoding then runs block
 * by block (≤ 128 KiB each) through the streaming API and stops as soon as the
 * output passes the limit.
 */
import { Decompress } from 'fzstd';
import { MalformedBodyError, PayloadTooLargeError } from '../errors.js';

export const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const DECODER_WINDOW_FLOOR = 8 * 1024 * 1024;

function malformed(detail: string, offset: number): MalformedBodyError {
  return new MalformedBodyError(detail, { encoding: 'zstd', offset });
}

function readUintLE(body: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + body[at + i];
  return v;
}

/** Walks every frame's header and block headers without decoding; throws on a limit or a broken layout. */
export function checkZstdFrames(body: Uint8Array, maxOutput: number): void {
  let pos = 0;
  while (pos < body.length) {
    if (pos + 8 > body.length) throw malformed('truncated frame header', pos);
    const magic = readUintLE(body, pos, 4);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      pos += 8 + readUintLE(body, pos + 4, 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw malformed('not a zstd frame (bad magic number)', pos);

    const descriptor = body[pos + 4];
    const fcsFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    const hasChecksum = (descriptor >> 2) & 1;
    let p = pos + 5;
    let window = 0;
    if (!singleSegment) {
      const wd = body[p++];
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    p += [0, 1, 2, 4][descriptor & 3];
    const fcsSize = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag];
    if (p + fcsSize > body.length) throw malformed('truncated frame header', pos);
    const contentSize = fcsSize > 0 ? readUintLE(body, p, fcsSize) + (fcsSize === 2 ? 256 : 0) : undefined;
    p += fcsSize;
    if (singleSegment) window = contentSize ?? 0;
    if (contentSize !== undefined && contentSize > maxOutput) {
      throw new PayloadTooLargeError('max_decompressed_bytes', maxOutput, `zstd frame declares ${contentSize} bytes of content`);
    }
    if (window > Math.max(maxOutput, DECODER_WINDOW_FLOOR)) {
      throw new PayloadTooLargeError('max_decompressed_bytes', maxOutput, `zstd frame asks for a ${window}-byte window`);
    }

    for (let last = 0; !last; ) {
      if (p + 3 > body.length) throw malformed('truncated block header', p);
      const header = readUintLE(body, p, 3);
      last = header & 1;
      const type = (header >> 1) & 3;
      if (type === 3) throw malformed('reserved block type', p);
      p += 3 + (type === 1 ? 1 : header >> 3);
    }
    pos = p + (hasChecksum ? 4 : 0);
    if (pos > body.length) throw malformed('truncated frame', p);
  }
}

export function unzstdBody(body: Buffer, maxOutput: number): Buffer {
  checkZstdFrames(body, maxOutput);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxOutput) throw new PayloadTooLargeError('max_decompressed_bytes', maxOutput, 'zstd body inflates beyond the limit');
    // fzstd hands out views into its window, which the next block overwrites.
    chunks.push(chunk.slice());
  });
  try {
    stream.push(body, true);
  } catch (err) {
    if (err instanceof PayloadTooLargeError) throw err;
    throw new MalformedBodyError((err as Error).message, { encoding: 'zstd' });
  }
  return Buffer.concat(chunks, total);
}
