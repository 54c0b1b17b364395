/**
 * Newline-delimited JSON (application/x-ndjson, application/jsonlines): one
 * JSON value per line. Vector's newline_delimited framing leaves the last line
 * without a newline, Fluent Bit's json_lines ends every line with one; both
 * are fine, blank lines and CRLF endings are tolerated. The text is measured
 * (count, heap, depth) before any line is parsed.
 */
import { MalformedBodyError } from '../errors.js';
import type { DecodeBudget } from '../../decode_limits.js';
import { measureJson } from './json_shape.js';
import { bodyText, jsonParseDetail, valueToFields, type RawRecord } from './raw_record.js';

export function decodeNdjson(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const text = bodyText(body);
  const costs = measureJson(text, budget, true);
  const out: RawRecord[] = [];
  let lineNo = 0;
  for (let start = 0; start < text.length; ) {
    lineNo++;
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end).trim();
    if (line.length > 0) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new MalformedBodyError(jsonParseDetail(err).detail, {
          format: 'ndjson',
          line: lineNo,
          offset: Buffer.byteLength(text.slice(0, start)),
        });
      }
      out.push({ fields: valueToFields(value), size: costs[out.length] ?? line.length });
    }
    start = end + 1;
  }
  return out;
}
