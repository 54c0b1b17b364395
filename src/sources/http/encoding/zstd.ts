/**
 * Content-Encoding `zstd` (RFC 8878; Vector `compression = "zstd"`, Fluent Bit
 * `compress zstd`): the shared, bounded decoder (../../zstd.ts) with its
 * failures mapped to HTTP refusals, 413 for a limit and 400 for a corrupt body.
 */
import { unzstd, ZstdLimitError } from '../../zstd.js';
import { MalformedBodyError, PayloadTooLargeError } from '../errors.js';

export { ZSTD_MAGIC } from '../../zstd.js';

export function unzstdBody(body: Buffer, maxOutput: number): Buffer {
  try {
    return unzstd(body, maxOutput);
  } catch (err) {
    if (err instanceof ZstdLimitError) throw new PayloadTooLargeError('max_decompressed_bytes', maxOutput, err.detail);
    const { detail, offset } = err as { detail?: string; offset?: number };
    throw new MalformedBodyError(detail ?? (err as Error).message, { encoding: 'zstd', ...(offset !== undefined ? { offset } : {}) });
  }
}
