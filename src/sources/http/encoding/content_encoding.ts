/**
 * Content-Encoding handling (RFC 9110 §8.4): the comma-separated codings are
 * undone right to left, each step capped at max_decompressed_bytes. Without a
 * Content-Encoding header a body that starts with a gzip or zstd magic number
 * is still decompressed (a proxy may have dropped the header), and so is a
 * zlib header when the Content-Type does not claim a text format.
 */
import { UnsupportedMediaError } from '../errors.js';
import { hasZlibHeader, inflateBody } from './deflate.js';
import { GZIP_MAGIC, gunzipBody } from './gzip.js';
import { unsnappyBody } from './snappy.js';
import { ZSTD_MAGIC, unzstdBody } from './zstd.js';

export type ContentCoding = 'gzip' | 'deflate' | 'zstd' | 'snappy' | 'identity';

const DECODERS: Record<ContentCoding, (body: Buffer, maxOutput: number) => Buffer | Promise<Buffer>> = {
  gzip: gunzipBody,
  deflate: inflateBody,
  zstd: unzstdBody,
  snappy: unsnappyBody,
  identity: (body) => body,
};

const ALIASES: Record<string, ContentCoding> = { 'x-gzip': 'gzip' };

/** Parses the header into codings in the order they were applied; throws 415 for an unknown one. */
export function parseContentEncoding(header: string | undefined): ContentCoding[] {
  if (!header) return [];
  return header
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0)
    .map((name) => {
      const coding = ALIASES[name] ?? name;
      if (!(coding in DECODERS)) throw new UnsupportedMediaError(`unsupported Content-Encoding "${name}"`, { content_encoding: header });
      return coding as ContentCoding;
    });
}

/** The coding a body without Content-Encoding evidently carries, judged by its first bytes. */
export function sniffContentCoding(body: Buffer, allowZlib: boolean): ContentCoding | undefined {
  if (body.length >= 3 && body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1] && body[2] === 8) return 'gzip';
  if (body.length >= 4 && body.readUInt32LE(0) === ZSTD_MAGIC) return 'zstd';
  if (allowZlib && hasZlibHeader(body)) return 'deflate';
  return undefined;
}

export async function undoContentCodings(body: Buffer, codings: readonly ContentCoding[], maxOutput: number): Promise<Buffer> {
  let out = body;
  for (let i = codings.length - 1; i >= 0; i--) out = await DECODERS[codings[i]](out, maxOutput);
  return out;
}
