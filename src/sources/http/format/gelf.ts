/**
 * GELF 1.1 payloads (https://go2docs.graylog.org/current/getting_in_log_data/gelf.html):
 * Vector's gelf codec (NUL-delimited, no Content-Type) and Fluent Bit's
 * `format gelf` (newline after each object, labelled application/json).
 * short_message becomes message; host, level (syslog severity), timestamp
 * (seconds with a fraction) and full_message keep their names, which
 * normalize() already understands; the `_` prefix of additional fields is
 * stripped unless that would overwrite a field.
 */
import { MalformedBodyError } from '../errors.js';
import type { DecodeBudget } from '../../decode_limits.js';
import { measureJson } from './json_shape.js';
import { bomLength, forEachDelimited, isFieldMap, locate, parseJsonSpan, trimmedSpan, type RawRecord } from './raw_record.js';

/** A GELF message has at least version, host and short_message (GELF 1.1 payload spec). */
export function isGelfMessage(v: Record<string, unknown>): boolean {
  return typeof v.version === 'string' && 'host' in v && 'short_message' in v;
}

export function fromGelf(msg: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(msg)) {
    if (key === 'version') continue;
    if (key === 'short_message') fields.message = value;
    else if (key.startsWith('_') && key.length > 1 && key !== '_message' && !(key.slice(1) in msg)) fields[key.slice(1)] = value;
    else fields[key] = value;
  }
  return fields;
}

const DELIMITERS = [0x00, 0x0a];

export function decodeGelf(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const from = bomLength(body);
  const { costs } = measureJson(body, from, budget, true);
  const out: RawRecord[] = [];
  const fail = (detail: string, offset: number) => new MalformedBodyError(detail, { format: 'gelf', ...locate(body, offset) });
  forEachDelimited(body, from, DELIMITERS, (pieceStart, pieceEnd) => {
    const [start, end] = trimmedSpan(body, pieceStart, pieceEnd);
    if (start === end) return;
    const value = parseJsonSpan(body, start, end, fail);
    if (!isFieldMap(value)) throw fail('a GELF message must be a JSON object', start);
    out.push({ fields: fromGelf(value), size: costs[out.length] ?? end - start });
  });
  return out;
}
