/** Builds LogRecords for tests through the real normalize(), so they look like what sources produce. */
import { normalize } from '../../src/sources/normalize.js';
import type { LogRecord } from '../../src/sources/record.js';

export function rec(fields: Record<string, unknown>, observedAt = 1_700_000_000_000): LogRecord {
  return normalize(fields, { source: 'http', observedAt });
}
