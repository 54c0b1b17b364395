/**
 * Newline-delimited JSON (application/x-ndjson, application/jsonlines): one
 * JSON value per line. Vector's newline_delimited framing leaves the last line
 * without a newline, Fluent Bit's json_lines ends every line with one; both
 * are fine, blank lines and CRLF endings are tolerated. The bytes are measured
 * (count, heap, depth) before any line is parsed; each line is then decoded
 * and parsed on its own.
 */
import { MalformedBodyError } from '../errors.js';
import type { DecodeBudget } from '../../decode_limits.js';
import { measureJson } from './json_shape.js';
import { bomLength, forEachDelimited, locate, parseJsonSpan, trimmedSpan, valueToFields, type RawRecord } from './raw_record.js';

const NEWLINE = [0x0a];

export function decodeNdjson(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const from = bomLength(body);
  const { costs } = measureJson(body, from, budget, true);
  const out: RawRecord[] = [];
  forEachDelimited(body, from, NEWLINE, (lineStart, lineEnd) => {
    const [start, end] = trimmedSpan(body, lineStart, lineEnd);
    if (start === end) return;
    // The line is the unit a sender can find and fix: report where it starts.
    const fail = (detail: string) => new MalformedBodyError(detail, { format: 'ndjson', ...locate(body, lineStart) });
    out.push({ fields: valueToFields(parseJsonSpan(body, start, end, fail)), size: costs[out.length] ?? end - start });
  });
  return out;
}
