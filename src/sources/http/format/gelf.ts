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
import { bodyText, isFieldMap, jsonParseDetail, locate, type RawRecord } from './raw_record.js';

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

export function decodeGelf(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const text = bodyText(body);
  const costs = measureJson(text, budget, true);
  const out: RawRecord[] = [];
  const DELIMITER = /[\0\n]/g;
  for (let start = 0; start < text.length; ) {
    DELIMITER.lastIndex = start;
    const end = DELIMITER.exec(text)?.index ?? text.length;
    const piece = text.slice(start, end).trim();
    if (piece.length > 0) {
      let value: unknown;
      try {
        value = JSON.parse(piece);
      } catch (err) {
        throw new MalformedBodyError(jsonParseDetail(err).detail, { format: 'gelf', ...locate(text, start) });
      }
      if (!isFieldMap(value)) throw new MalformedBodyError('a GELF message must be a JSON object', { format: 'gelf', ...locate(text, start) });
      out.push({ fields: fromGelf(value), size: costs[out.length] ?? end - start });
    }
    start = end + 1;
  }
  return out;
}
