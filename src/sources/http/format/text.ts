/**
 * text/plain bodies (Vector codec text / raw_message, and any unlabelled line
 * format such as logfmt): each line is one record `{message: line}`. The
 * trailing newline Vector keeps does not make an extra record, and empty lines
 * (events without a message) carry nothing to analyze, so they are skipped.
 * Each line is decoded from the bytes on its own.
 */
import { CONTAINER_COST, MEMBER_COST, type DecodeBudget } from '../../decode_limits.js';
import { bomLength, forEachDelimited, type RawRecord } from './raw_record.js';

const NEWLINE = [0x0a];

export function decodeText(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const out: RawRecord[] = [];
  forEachDelimited(body, bomLength(body), NEWLINE, (start, end) => {
    if (body[end - 1] === 0x0d) end--;
    if (end === start) return;
    const line = body.toString('utf8', start, end);
    const size = CONTAINER_COST + MEMBER_COST + line.length;
    budget.addRecord(start);
    budget.charge(size, start);
    out.push({ fields: { message: line }, size });
  });
  return out;
}
