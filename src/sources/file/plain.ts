/**
 * Plain application lines: `<timestamp> <LEVEL> <service> <message…>`, e.g.
 * `2024-05-01T12:00:00 ERROR payments card declined` or the Java/Python style
 * `2024-05-01 12:00:00,123 [WARN] api slow request`.
 *
 * The timestamp is ISO-like (T or space, optional `.`/`,` fraction of 1–9
 * digits, optional `Z`/`±hh:mm`/`±hhmm`; no zone means UTC, as in
 * ../timestamp.ts). The level must be a level word normalize() knows; a line
 * with only one word after the level has no service. Pure.
 */
import { levelFromValue } from '../normalize.js';
import { parseIsoMillis } from '../timestamp.js';

/**
 * The service is the first word after the level, captured here rather than searched for in the rest: one regular
 * expression per line. The gap before the message may not hold a line terminator, which `.` never matches either.
 */
const PLAIN =
  /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\s+\[?([A-Za-z]+)\]?:?(?:\s+(\S*)(?:[^\S\n\r\u2028\u2029]+(.*))?)?$/;

export function parsePlainLine(line: string): Record<string, unknown> | undefined {
  const m = PLAIN.exec(line);
  if (!m) return undefined;
  const [, stamp, level, word = '', message] = m;
  if (levelFromValue(level) === undefined) return undefined;
  const timestamp = parseIsoMillis(stamp);
  if (timestamp === undefined) return undefined;
  // A lone word after the level is the message, not a service.
  if (message === undefined || word === '') return { timestamp, level, message: word };
  return { timestamp, level, service: word, message };
}
