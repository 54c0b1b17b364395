/**
 * Maps a node:zlib failure onto the HTTP source's refusals. zlib stops
 * inflating as soon as `maxOutputLength` is passed (ERR_BUFFER_TOO_LARGE),
 * so a decompression bomb never materializes; anything else means the
 * stream is truncated or corrupt and can never be read.
 *
 * Inflating runs on libuv's thread pool (the async zlib API), not on the
 * event loop: a 1,000-record body takes about 0.9 ms of main-thread time
 * inflated in place and 0.3 ms handed off, and the main thread is what
 * limits ingest. Output comes back in INFLATE_CHUNK_BYTES pieces, each one
 * callback on the main thread; zlib's 16 KiB default made them cost most of
 * what the hand-off saves.
 */
import { MalformedBodyError, PayloadTooLargeError } from '../errors.js';

export const INFLATE_CHUNK_BYTES = 64 * 1024;

export function zlibFailure(err: unknown, encoding: string, maxOutput: number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return new PayloadTooLargeError('max_decompressed_bytes', maxOutput, `${encoding} body inflates beyond the limit`);
  }
  const detail = code === 'Z_BUF_ERROR' ? 'stream is truncated (unexpected end of file)' : (err as Error).message;
  return new MalformedBodyError(detail, { encoding });
}
