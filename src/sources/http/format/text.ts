/**
 * text/plain bodies (Vector codec text / raw_message, and any unlabelled line
 * format such as logfmt): each line is one record `{message: line}`. The
 * trailing newline Vector keeps does not make an extra record, and empty lines
 * (events without a message) carry nothing to analyze, so they are skipped.
 */
import { CONTAINER_COST, MEMBER_COST, type DecodeBudget } from '../../decode_limits.js';
import { bodyText, type RawRecord } from './raw_record.js';

export function decodeText(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const text = bodyText(body);
  const out: RawRecord[] = [];
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.charCodeAt(end - 1) === 0x0d ? text.slice(start, end - 1) : text.slice(start, end);
    if (line.length > 0) {
      const size = CONTAINER_COST + MEMBER_COST + line.length;
      budget.addRecord(start);
      budget.charge(size, start);
      out.push({ fields: { message: line }, size });
    }
    start = end + 1;
  }
  return out;
}
