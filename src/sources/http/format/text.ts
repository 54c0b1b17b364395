/**
 * text/plain bodies (Vector codec text / raw_message, and any unlabelled line
 * format such as logfmt): each line is one record `{message: line}`. The
 * trailing newline Vector keeps does not make an extra record, and empty lines
 * (events without a message) carry nothing to analyze, so they are skipped.
 */
import { bodyText, ensureRoom, type DecodeLimits, type RawRecord } from './raw_record.js';

export function decodeText(body: Buffer, limits: DecodeLimits): RawRecord[] {
  const text = bodyText(body);
  const out: RawRecord[] = [];
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.charCodeAt(end - 1) === 0x0d ? text.slice(start, end - 1) : text.slice(start, end);
    if (line.length > 0) {
      ensureRoom(out.length, limits);
      out.push({ fields: { message: line }, size: end - start + 1 });
    }
    start = end + 1;
  }
  return out;
}
