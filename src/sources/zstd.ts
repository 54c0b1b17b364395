/**
 * zstd decompression (RFC 8878) for both sources: HTTP `Content-Encoding:
 * zstd` (Vector `compression = "zstd"`, Fluent Bit `compress zstd`) and
 * Forward CompressedPackedForward payloads, with the same limits on both.
 * Node 20's zlib has no zstd, so frames are decoded by the reference libzstd
 * compiled to WebAssembly (@bokuweb/zstd-wasm).
 *
 * Bounds, all checked before or while decoding:
 * - every frame header is read first (checkZstdFrames): a frame that
 *   declares more content than the limit, or a window beyond both the limit
 *   and the 8 MiB every decoder must support (RFC 8878 §3.1.1.1.2), is refused
 *   before any decoding, and so is a broken frame or block layout;
 * - each frame is decoded one-shot (ZSTD_decompress) into a buffer of the
 *   output still allowed, so output never passes the limit (libzstd stops with
 *   dstSize_tooSmall) and the work is linear in input plus output: one-shot
 *   decoding uses the output as its window, with no per-block window copy (the
 *   pure-JS decoder used before copied its whole window after every block, so
 *   a few KB of tiny blocks under a 64 MiB window froze the event loop for
 *   seconds).
 */
import { decompress, init } from '@bokuweb/zstd-wasm';

await init();

export const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const DECODER_WINDOW_FLOOR = 8 * 1024 * 1024;
/** ZSTD_error_dstSize_tooSmall, returned negated by the wasm build. */
const DST_SIZE_TOO_SMALL = 70;

/** The body would decompress beyond the limit (declared, windowed or actual). */
export class ZstdLimitError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'ZstdLimitError';
  }
}

/** The bytes are not a valid zstd stream. */
export class ZstdFormatError extends Error {
  constructor(
    readonly detail: string,
    /** Byte offset in the compressed body, when known. */
    readonly offset?: number,
  ) {
    super(detail);
    this.name = 'ZstdFormatError';
  }
}

function readUintLE(body: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + body[at + i];
  return v;
}

interface Frame {
  start: number;
  end: number;
  /** Skippable frames carry no content. */
  skippable: boolean;
}

/** Walks every frame's header and block headers without decoding; throws on a limit or a broken layout. */
export function checkZstdFrames(body: Uint8Array, maxOutput: number): Frame[] {
  const frames: Frame[] = [];
  let declared = 0;
  let pos = 0;
  while (pos < body.length) {
    if (pos + 8 > body.length) throw new ZstdFormatError('truncated frame header', pos);
    const magic = readUintLE(body, pos, 4);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      const end = pos + 8 + readUintLE(body, pos + 4, 4);
      frames.push({ start: pos, end: Math.min(end, body.length), skippable: true });
      pos = end;
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw new ZstdFormatError('not a zstd frame (bad magic number)', pos);

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
    if (p + fcsSize > body.length) throw new ZstdFormatError('truncated frame header', pos);
    const contentSize = fcsSize > 0 ? readUintLE(body, p, fcsSize) + (fcsSize === 2 ? 256 : 0) : undefined;
    p += fcsSize;
    if (singleSegment) window = contentSize ?? 0;
    declared += contentSize ?? 0;
    if (declared > maxOutput) throw new ZstdLimitError(`zstd body declares ${declared} bytes of content`);
    if (window > Math.max(maxOutput, DECODER_WINDOW_FLOOR)) throw new ZstdLimitError(`zstd frame asks for a ${window}-byte window`);

    for (let last = 0; !last; ) {
      if (p + 3 > body.length) throw new ZstdFormatError('truncated block header', p);
      const header = readUintLE(body, p, 3);
      last = header & 1;
      const type = (header >> 1) & 3;
      if (type === 3) throw new ZstdFormatError('reserved block type', p);
      p += 3 + (type === 1 ? 1 : header >> 3);
    }
    const end = p + (hasChecksum ? 4 : 0);
    if (end > body.length) throw new ZstdFormatError('truncated frame', p);
    frames.push({ start: pos, end, skippable: false });
    pos = end;
  }
  return frames;
}

/** Decompresses every frame, the output capped at `maxOutput` bytes in all. */
export function unzstd(body: Uint8Array, maxOutput: number): Buffer {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const frame of checkZstdFrames(body, maxOutput)) {
    if (frame.skippable) continue;
    const room = maxOutput - total;
    let out: Uint8Array;
    try {
      // Capacity is the room left; a frame declaring its size gets exactly that (checked above to fit).
      out = decompress(body.subarray(frame.start, frame.end), { defaultHeapSize: Math.max(1, room) });
    } catch (err) {
      const code = Number(/code (-?\d+)/.exec((err as Error).message)?.[1]);
      if (Math.abs(code) === DST_SIZE_TOO_SMALL) throw new ZstdLimitError('zstd body inflates beyond the limit');
      throw new ZstdFormatError(`corrupt frame (libzstd error ${Math.abs(code) || 'unknown'})`, frame.start);
    }
    total += out.length;
    if (total > maxOutput) throw new ZstdLimitError('zstd body inflates beyond the limit');
    parts.push(out);
  }
  return Buffer.concat(parts, total);
}
