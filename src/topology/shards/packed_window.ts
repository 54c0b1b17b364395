/**
 * PackedWindow: a closed window in the compact form handed to a shard worker.
 * Instead of structured-cloning one object per record, the records travel as
 * two transferable buffers (moved, not copied, by postMessage: see
 * https://nodejs.org/api/worker_threads.html#portpostmessagevalue-transferlist):
 * one of numbers (event time, arrival time, UTF-8 message bounds, level,
 * source, tag index) and one of the messages' UTF-8 bytes, so each message
 * is decoded into its own flat string on the worker (a slice of one big
 * string would keep the whole window alive in any template example); a
 * window of ASCII messages, the common case, is read as Latin-1, the same
 * characters without UTF-8 decoding.
 *
 * What a worker sees of a record: timestamp, observedAt, level, service,
 * host, message, source and tag. `fields` arrive empty: analysis reads the
 * normalized record, never the raw field map, and copying every field map
 * would cost the main thread what the workers are there to save.
 */
import { LEVELS, NO_FIELDS, type Level, type LogRecord, type SourceKind } from '../../sources/record.js';
import type { CloseReason, Window } from '../../windows/window.js';

const SOURCES: readonly SourceKind[] = ['http', 'forward', 'file'];
const LEVEL_CODE = new Map<Level, number>(LEVELS.map((l, i) => [l, i]));
const SOURCE_CODE = new Map<SourceKind, number>(SOURCES.map((s, i) => [s, i]));

export interface PackedWindow {
  stream: string;
  service: string;
  host: string;
  start: number;
  end: number;
  closedBy: CloseReason;
  count: number;
  /** Distinct tags; a record's tag index -1 means none. */
  tags: string[];
  /** Float64 timestamps[count], Float64 observedAt[count], Uint32 textEnd[count], Int32 tag[count], Uint8 level[count], Uint8 source[count]. */
  numbers: ArrayBuffer;
  /** UTF-8 messages back to back; record i spans textEnd[i-1]..textEnd[i]. */
  text: ArrayBuffer;
  /** Every message is ASCII: its bytes read as Latin-1, which skips UTF-8 decoding. */
  ascii: boolean;
}

function layout(count: number) {
  const observed = count * 8;
  const textEnd = observed + count * 8;
  const tag = textEnd + count * 4;
  const level = tag + count * 4;
  const source = level + count;
  return { observed, textEnd, tag, level, source, bytes: source + count };
}

export function packWindow(window: Window): { packed: PackedWindow; transfer: ArrayBuffer[] } {
  const records = window.records;
  const count = records.length;
  const at = layout(count);
  const numbers = new ArrayBuffer(at.bytes);
  const timestamps = new Float64Array(numbers, 0, count);
  const observed = new Float64Array(numbers, at.observed, count);
  const textEnd = new Uint32Array(numbers, at.textEnd, count);
  const tagIndex = new Int32Array(numbers, at.tag, count);
  const levels = new Uint8Array(numbers, at.level, count);
  const sources = new Uint8Array(numbers, at.source, count);
  let units = 0;
  let joined = '';
  for (let i = 0; i < count; i++) {
    const m = records[i].message;
    units += m.length;
    joined += m;
  }
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes; the unused tail travels with the buffer, unread.
  const text = Buffer.allocUnsafeSlow(units * 3);
  // One write for the whole window; as many bytes as code units means all ASCII, so each message's
  // bytes end where its characters do. Otherwise each message is written again on its own.
  const ascii = text.write(joined, 0) === units;
  const tags: string[] = [];
  let written = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i];
    timestamps[i] = r.timestamp;
    observed[i] = r.observedAt;
    written += ascii ? r.message.length : text.write(r.message, written);
    textEnd[i] = written;
    levels[i] = LEVEL_CODE.get(r.level) ?? LEVEL_CODE.get('unknown')!;
    sources[i] = SOURCE_CODE.get(r.source) ?? 0;
    if (r.tag === undefined) tagIndex[i] = -1;
    else {
      let t = tags.lastIndexOf(r.tag);
      if (t < 0) t = tags.push(r.tag) - 1;
      tagIndex[i] = t;
    }
  }
  const packed: PackedWindow = {
    stream: window.stream,
    service: window.service,
    host: window.host,
    start: window.start,
    end: window.end,
    closedBy: window.closedBy,
    count,
    tags,
    numbers,
    text: text.buffer as ArrayBuffer,
    ascii,
  };
  return { packed, transfer: [numbers, packed.text] };
}

export function unpackWindow(p: PackedWindow): Window {
  const count = p.count;
  const at = layout(count);
  const timestamps = new Float64Array(p.numbers, 0, count);
  const observed = new Float64Array(p.numbers, at.observed, count);
  const textEnd = new Uint32Array(p.numbers, at.textEnd, count);
  const tagIndex = new Int32Array(p.numbers, at.tag, count);
  const levels = new Uint8Array(p.numbers, at.level, count);
  const sources = new Uint8Array(p.numbers, at.source, count);
  const text = Buffer.from(p.text);
  const encoding = p.ascii ? 'latin1' : 'utf8';
  const records: LogRecord[] = new Array(count);
  let from = 0;
  for (let i = 0; i < count; i++) {
    const to = textEnd[i];
    const t = tagIndex[i];
    records[i] = {
      timestamp: timestamps[i],
      observedAt: observed[i],
      level: LEVELS[levels[i]],
      service: p.service,
      host: p.host,
      message: text.toString(encoding, from, to),
      fields: NO_FIELDS,
      source: SOURCES[sources[i]],
      tag: t < 0 ? undefined : p.tags[t],
      size: to - from,
    };
    from = to;
  }
  return { stream: p.stream, service: p.service, host: p.host, start: p.start, end: p.end, closedBy: p.closedBy, records, lines: records.length };
}
