/**
 * Newline-delimited JSON (application/x-ndjson, application/jsonlines): one
 * JSON value per line. Vector's newline_delimited framing leaves the last line
 * without a newline, Fluent Bit's json_lines ends every line with one; both
 * are fine, blank lines and CRLF endings are tolerated. The bytes are measured
 * (count, heap, depth) before any line is parsed. Neighbouring lines are then
 * parsed together as one array (a raw newline cannot occur inside a JSON
 * value, so it can stand for the comma); a run that fails is parsed line by
 * line, which names the line at fault.
 */
import { MalformedBodyError } from '../errors.js';
import type { DecodeBudget } from '../../decode_limits.js';
import { measureJson } from './json_shape.js';
import { bomLength, forEachDelimited, locate, parseJsonSpans, trimmedSpan, valueToFields, type RawRecord } from './raw_record.js';

const NEWLINE = [0x0a];

export function decodeNdjson(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const from = bomLength(body);
  const { costs } = measureJson(body, from, budget, true);
  /** Per non-blank line: where it starts (for errors), and its trimmed span. */
  const lineStarts: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  forEachDelimited(body, from, NEWLINE, (lineStart, lineEnd) => {
    const [start, end] = trimmedSpan(body, lineStart, lineEnd);
    if (start === end) return;
    lineStarts.push(lineStart);
    starts.push(start);
    ends.push(end);
  });
  const values = parseJsonSpans(body, {
    starts,
    ends,
    // Only lines with nothing but a newline between them: a blank or CRLF line in between would not read as one comma.
    joins: (k) => starts[k] === ends[k - 1] + 1,
    newlineSeparated: true,
    // The line is the unit a sender can find and fix: report where it starts.
    malformed: (k, detail) => new MalformedBodyError(detail, { format: 'ndjson', ...locate(body, lineStarts[k]) }),
  });
  return values.map((value, k) => ({ fields: valueToFields(value), size: costs[k] ?? ends[k] - starts[k] }));
}
