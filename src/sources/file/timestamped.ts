/**
 * Lines that only promise a time at the start: an ISO 8601 / RFC 3339 stamp
 * (`2024-05-01T12:00:00.123Z …`, `2024-05-01 12:00:00,123 …`) or epoch
 * seconds / milliseconds (`1714564800.123 …`, `1714564800123 …`), optionally
 * in square brackets. The rest of the line is the message; normalize() infers
 * the level from it. Detection picks this format only when no more specific
 * one reads the file. Pure.
 */
import { parseIsoMillis, epochToMillis } from '../timestamp.js';

const ISO = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\]?(?:\s+|$)/;
const EPOCH = /^\[?(\d{10}(?:\.\d{1,9})?|\d{13}(?:\.\d{1,6})?)\]?(?:\s+|$)/;

export function parseTimestampedLine(line: string): Record<string, unknown> | undefined {
  const iso = ISO.exec(line);
  if (iso) {
    const timestamp = parseIsoMillis(iso[1]);
    return timestamp === undefined ? undefined : { timestamp, message: line.slice(iso[0].length) };
  }
  const epoch = EPOCH.exec(line);
  if (!epoch) return undefined;
  return { timestamp: epochToMillis(Number(epoch[1])), message: line.slice(epoch[0].length) };
}
