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
import { bomLength, forEachDelimited, locate, parseJsonSpan, trimmedSpan, valueToFields, type RawRecord } from './raw_record.js';

const NEWLINE = [0x0a];
/** Bytes of lines parsed by one JSON.parse; far below the 128 KiB where V8 strings get costly. */
const RUN_BYTES = 16 * 1024;

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
  const out: RawRecord[] = new Array(starts.length);
  for (let k0 = 0; k0 < starts.length; ) {
    let k1 = k0;
    // Only lines with nothing but a newline between them: a blank or CRLF line in between would not read as one comma.
    while (k1 + 1 < starts.length && starts[k1 + 1] === ends[k1] + 1 && ends[k1 + 1] - starts[k0] <= RUN_BYTES) k1++;
    let values: unknown[] | undefined;
    if (k1 > k0) {
      try {
        values = JSON.parse(`[${body.toString('utf8', starts[k0], ends[k1]).replaceAll('\n', ',')}]`) as unknown[];
        if (values.length !== k1 - k0 + 1) values = undefined;
      } catch {
        // Parsed line by line below.
      }
    }
    for (let k = k0; k <= k1; k++) {
      // The line is the unit a sender can find and fix: report where it starts.
      const fail = (detail: string) => new MalformedBodyError(detail, { format: 'ndjson', ...locate(body, lineStarts[k]) });
      const value = values ? values[k - k0] : parseJsonSpan(body, starts[k], ends[k], fail);
      out[k] = { fields: valueToFields(value), size: costs[k] ?? ends[k] - starts[k] };
    }
    k0 = k1 + 1;
  }
  return out;
}
