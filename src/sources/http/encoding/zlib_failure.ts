/**
 * Maps a node:zlib failure onto the HTTP source's refusals. zlib stops
 * inflating as soon as `maxOutputLength` is passed (ERR_BUFFER_TOO_LARGE),
 * so a decompression bomb never materializes; anything else means the
 * stream is truncated or corrupt and can never be read.
 */
import { MalformedBodyError, PayloadTooLargeError } from '../errors.js';

export function zlibFailure(err: unknown, encoding: string, maxOutput: number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return new PayloadTooLargeError('max_decompressed_bytes', maxOutput, `${encoding} body inflates beyond the limit`);
  }
  const detail = code === 'Z_BUF_ERROR' ? 'stream is truncated (unexpected end of file)' : (err as Error).message;
  return new MalformedBodyError(detail, { encoding });
}
