/**
 * application/msgpack bodies: Fluent Bit's raw chunk (out_http `format
 * msgpack`), i.e. concatenated `[[EventTime, {metadata}], {record}]` entries
 * with no outer array (wire-formats.md §0.5); the classic `[time, record]`
 * shape and bare maps are accepted too. Group markers carry no log and are
 * skipped. Non-empty metadata is kept as `__internal__.log_metadata`, the
 * place Fluent Bit's own JSON output puts it.
 *
 * Each object's extent, heap cost and depth are measured from its msgpack
 * headers first (msgpack_shape.ts), so nothing over the request's limits is
 * ever decoded, every record knows its cost and every error its byte offset;
 * then the measured object is decoded in place (../../msgpack_value.ts, as the
 * Forward source decodes its entries) and read by the shared Fluent entry
 * parser.
 */
import { parseFluentEntry } from '../../fluent_entry.js';
import { MalformedBodyError } from '../errors.js';
import type { DecodeBudget } from '../../decode_limits.js';
import { measureMsgpack, MsgpackShapeError } from '../../msgpack_shape.js';
import { MeasuredMsgpackReader } from '../../msgpack_value.js';
import { isFieldMap, type RawRecord } from './raw_record.js';

/** A Fluent entry `[[time, meta], record]` puts the record one level below the top. */
const ENTRY_LEVELS = 1;

function withMetadata(record: Record<string, unknown>, metadata: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(metadata).length === 0 || '__internal__' in record) return record;
  return { ...record, __internal__: { log_metadata: metadata } };
}

export function decodeMsgpack(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const out: RawRecord[] = [];
  const reader = new MeasuredMsgpackReader(body);
  for (let pos = 0; pos < body.length; ) {
    const before = budget.bytes;
    let end: number;
    try {
      end = measureMsgpack(body, pos, budget, ENTRY_LEVELS);
    } catch (err) {
      if (err instanceof MsgpackShapeError) throw new MalformedBodyError(err.detail, { format: 'msgpack', offset: err.offset });
      throw err;
    }
    let entry: unknown;
    let parsed: ReturnType<typeof parseFluentEntry> | undefined;
    try {
      reader.pos = pos;
      entry = reader.value();
      if (!isFieldMap(entry)) parsed = parseFluentEntry(entry);
    } catch (err) {
      throw new MalformedBodyError((err as Error).message, { format: 'msgpack', offset: pos });
    }
    const size = budget.bytes - before;
    if (parsed?.kind !== 'group_marker') {
      budget.addRecord(pos);
      out.push(
        parsed
          ? { fields: withMetadata(parsed.record, parsed.metadata), size, transportTime: parsed.timeMs }
          : { fields: entry as Record<string, unknown>, size },
      );
    }
    pos = end;
  }
  return out;
}
