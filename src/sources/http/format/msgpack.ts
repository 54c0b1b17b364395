/**
 * application/msgpack bodies: Fluent Bit's raw chunk (out_http `format
 * msgpack`), i.e. concatenated `[[EventTime, {metadata}], {record}]` entries
 * with no outer array (wire-formats.md §0.5); the classic `[time, record]`
 * shape and bare maps are accepted too. Group markers carry no log and are
 * skipped. Non-empty metadata is kept as `__internal__.log_metadata`, the
 * place Fluent Bit's own JSON output puts it.
 *
 * Each object's extent is measured from its msgpack headers first
 * (https://github.com/msgpack/msgpack/blob/master/spec.md), so every record
 * knows its byte size and every error its byte offset, then the slice is
 * decoded with @msgpack/msgpack and the shared Fluent entry parser.
 */
import { decode } from '@msgpack/msgpack';
import { fluentExtensionCodec, parseFluentEntry } from '../../fluent_entry.js';
import { MalformedBodyError } from '../errors.js';
import { ensureRoom, isFieldMap, type DecodeLimits, type RawRecord } from './raw_record.js';

class Truncated extends Error {}

/** Byte length of the fixed header and payload for a head byte that is not a container; -1 for 0xc1 (never used). */
function scalarLength(b: Uint8Array, pos: number): number {
  const h = b[pos];
  const need = (n: number) => {
    if (pos + n > b.length) throw new Truncated();
  };
  const u8 = () => (need(2), b[pos + 1]);
  const u16 = () => (need(3), (b[pos + 1] << 8) | b[pos + 2]);
  const u32 = () => (need(5), ((b[pos + 1] << 24) >>> 0) + ((b[pos + 2] << 16) | (b[pos + 3] << 8) | b[pos + 4]));
  if (h <= 0x7f || h >= 0xe0 || h === 0xc0 || h === 0xc2 || h === 0xc3) return 1;
  if (h >= 0xa0 && h <= 0xbf) return 1 + (h & 0x1f);
  switch (h) {
    case 0xc4: case 0xd9: return 2 + u8(); // bin8, str8
    case 0xc5: case 0xda: return 3 + u16(); // bin16, str16
    case 0xc6: case 0xdb: return 5 + u32(); // bin32, str32
    case 0xc7: return 3 + u8(); // ext8
    case 0xc8: return 4 + u16(); // ext16
    case 0xc9: return 6 + u32(); // ext32
    case 0xcc: case 0xd0: return 2;
    case 0xcd: case 0xd1: return 3;
    case 0xca: case 0xce: case 0xd2: return 5;
    case 0xcb: case 0xcf: case 0xd3: return 9;
    case 0xd4: return 3; // fixext1
    case 0xd5: return 4;
    case 0xd6: return 6;
    case 0xd7: return 10; // fixext8: EventTime
    case 0xd8: return 18;
    default: return -1;
  }
}

/** Offset just past the msgpack object starting at `start`; throws MalformedBodyError with the offending offset. */
export function msgpackObjectEnd(b: Uint8Array, start: number): number {
  let pos = start;
  let pending = 1;
  try {
    while (pending > 0) {
      if (pos >= b.length) throw new Truncated();
      const h = b[pos];
      pending--;
      if (h >= 0x80 && h <= 0x8f) {
        pending += 2 * (h & 0x0f);
        pos += 1;
      } else if (h >= 0x90 && h <= 0x9f) {
        pending += h & 0x0f;
        pos += 1;
      } else if (h === 0xdc || h === 0xde) {
        if (pos + 3 > b.length) throw new Truncated();
        pending += ((b[pos + 1] << 8) | b[pos + 2]) * (h === 0xde ? 2 : 1);
        pos += 3;
      } else if (h === 0xdd || h === 0xdf) {
        if (pos + 5 > b.length) throw new Truncated();
        pending += (((b[pos + 1] << 24) >>> 0) + ((b[pos + 2] << 16) | (b[pos + 3] << 8) | b[pos + 4])) * (h === 0xdf ? 2 : 1);
        pos += 5;
      } else {
        const len = scalarLength(b, pos);
        if (len < 0) throw new MalformedBodyError('invalid type byte 0xc1', { format: 'msgpack', offset: pos });
        pos += len;
      }
    }
    if (pos > b.length) throw new Truncated();
    return pos;
  } catch (err) {
    if (err instanceof Truncated) {
      throw new MalformedBodyError(`object starting at byte ${start} is truncated`, { format: 'msgpack', offset: Math.min(pos, b.length) });
    }
    throw err;
  }
}

function withMetadata(record: Record<string, unknown>, metadata: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(metadata).length === 0 || '__internal__' in record) return record;
  return { ...record, __internal__: { log_metadata: metadata } };
}

export function decodeMsgpack(body: Buffer, limits: DecodeLimits): RawRecord[] {
  const out: RawRecord[] = [];
  for (let pos = 0; pos < body.length; ) {
    const end = msgpackObjectEnd(body, pos);
    let entry: unknown;
    let parsed: ReturnType<typeof parseFluentEntry> | undefined;
    try {
      entry = decode(body.subarray(pos, end), { extensionCodec: fluentExtensionCodec });
      if (!isFieldMap(entry)) parsed = parseFluentEntry(entry);
    } catch (err) {
      throw new MalformedBodyError((err as Error).message, { format: 'msgpack', offset: pos });
    }
    if (parsed?.kind !== 'group_marker') {
      ensureRoom(out.length, limits);
      out.push(
        parsed
          ? { fields: withMetadata(parsed.record, parsed.metadata), size: end - pos, transportTime: parsed.timeMs }
          : { fields: entry as Record<string, unknown>, size: end - pos },
      );
    }
    pos = end;
  }
  return out;
}
