/**
 * Newline-delimited JSON (application/x-ndjson, application/jsonlines): one
 * JSON value per line. Vector's newline_delimited framing leaves the last line
 * without a newline, Fluent Bit's json_lines ends every line with one; both
 * are fine, blank lines and CRLF endings are tolerated.
 */
import { MalformedBodyError } from '../errors.js';
import { bodyText, ensureRoom, jsonParseDetail, valueToFields, type DecodeLimits, type RawRecord } from './raw_record.js';

export function decodeNdjson(body: Buffer, limits: DecodeLimits): RawRecord[] {
  const text = bodyText(body);
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
      ensureRoom(out.length, limits);
      out.push({ fields: valueToFields(value), size: line.length });
    }
    start = end + 1;
  }
  return out;
}
