/**
 * Compressed input for `lookout analyze`: gzip (RFC 1952, `.gz`; several
 * concatenated members, as `cat a.gz b.gz` or pigz write, are read as one
 * stream) and Zstandard (RFC 8878, `.zst`, any number of frames), recognised
 * by their magic bytes so stdin and misnamed files work too. Decoding streams
 * chunk by chunk — node:zlib for gzip, fzstd's streaming `Decompress` for
 * zstd — so memory stays bounded by a chunk and the zstd window whatever the
 * file size. Node 20's zlib has no zstd, and the libzstd wasm build the
 * network sources use (../zstd.ts) decodes whole frames only, while `zstd`
 * writes a whole file as one frame. fzstd shifts its window after every
 * block, so it runs at roughly 45–75 MB/s of output on `zstd -3`/`-19`
 * files (a cost the network sources, facing hostile bodies, do not accept,
 * but a replay of your own files can), and it supports windows up to 32 MiB:
 * for `zstd --long` files pipe `zstd -dc FILE | lookout analyze -`.
 * A corrupt or truncated input fails with FileSourceError naming the
 * compression and the compressed byte offset.
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { FileSourceError } from './errors.js';

export type Compression = 'gzip' | 'zstd' | 'none';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function sniffCompression(head: Uint8Array): Compression {
  const starts = (magic: number[]) => magic.every((b, i) => head[i] === b);
  if (head.length >= 2 && starts(GZIP_MAGIC)) return 'gzip';
  if (head.length >= 4 && starts(ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

export interface DecodedInput {
  compression: Compression;
  stream: AsyncIterable<Buffer | string>;
}

interface Context {
  /** For error messages. */
  name: string;
  /** Compressed bytes consumed so far. */
  bytesRead: () => number;
}

/** Looks at the first chunk and returns the stream decoded accordingly (unchanged when not compressed). */
export async function decodeInput(source: AsyncIterable<Buffer | string>, ctx: Context): Promise<DecodedInput> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return { compression: 'none', stream: (async function* () {})() };
  const head = typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
  async function* replay(): AsyncGenerator<Buffer | string> {
    yield first.value;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const compression = sniffCompression(head);
  if (compression === 'none') return { compression, stream: replay() };
  const fail = (err: unknown): FileSourceError =>
    new FileSourceError(
      `cannot read ${ctx.name}: ${compression} data is corrupt or truncated near compressed byte ${ctx.bytesRead()}: ${(err as Error).message}`,
      ctx.name,
      'EDECOMPRESS',
      ctx.bytesRead(),
      { cause: err },
    );
  if (compression === 'gzip') {
    const gunzip = pipeline(Readable.from(replay()), createGunzip(), () => {});
    return { compression, stream: wrapErrors(gunzip as AsyncIterable<Buffer>, fail) };
  }
  return { compression, stream: zstdStream(replay(), fail) };
}

async function* wrapErrors(stream: AsyncIterable<Buffer>, fail: (err: unknown) => Error): AsyncGenerator<Buffer> {
  try {
    yield* stream;
  } catch (err) {
    // zlib's own failures carry Z_* codes; a read error from the file below passes through unchanged.
    const code = (err as { code?: unknown }).code;
    throw typeof code === 'string' && code.startsWith('Z_') ? fail(err) : err;
  }
}

async function* zstdStream(source: AsyncIterable<Buffer | string>, fail: (err: unknown) => Error): AsyncGenerator<Buffer> {
  const out: Buffer[] = [];
  // fzstd reuses its window buffer between blocks: copy each block out.
  const decoder = new Decompress((block) => {
    if (block.length > 0) out.push(Buffer.from(block));
  });
  const push = (chunk: Uint8Array, final: boolean): void => {
    try {
      decoder.push(chunk, final);
    } catch (err) {
      throw fail(err);
    }
  };
  for await (const chunk of source) {
    push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, false);
    while (out.length > 0) yield out.shift()!;
  }
  push(new Uint8Array(0), true);
  while (out.length > 0) yield out.shift()!;
}
