/**
 * What every body decoder yields: one field map per log record, before
 * normalize() turns it into a LogRecord, plus what the wire said about it.
 */
import { isJsonSpace } from './json_shape.js';

export interface RawRecord {
  fields: Record<string, unknown>;
  /** Estimated heap bytes of the decoded record (decode_limits.ts), which the window buffer is charged. */
  size: number;
  /** Event time carried outside the record (msgpack EventTime), epoch ms. */
  transportTime?: number;
}

export function isFieldMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A decoded value as a field map. A bare string is a log line: Vector with
 * `log_namespace = true` sends `["line1","line2"]`. Any other non-object is
 * kept as its JSON text, so nothing that arrived is dropped.
 */
export function valueToFields(v: unknown): Record<string, unknown> {
  if (isFieldMap(v)) return v;
  return { message: typeof v === 'string' ? v : JSON.stringify(v) };
}

/** 1-based line number of a byte offset, with the offset, for error messages. */
export function locate(body: Buffer, offset: number): { line: number; offset: number } {
  let line = 1;
  for (let i = body.indexOf(0x0a); i >= 0 && i < offset; i = body.indexOf(0x0a, i + 1)) line++;
  return { line, offset };
}

/** Length of a UTF-8 byte order mark at the start of the body (0 or 3). */
export function bomLength(body: Buffer): number {
  return body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
}

/**
 * Calls `each(start, end)` for every delimited piece of the body from `from`
 * (the last one needs no delimiter), without building one string for the
 * whole body: a string over 128 KiB lands in V8's large-object space, which
 * costs more than decoding it.
 */
export function forEachDelimited(body: Buffer, from: number, delimiters: readonly number[], each: (start: number, end: number) => void): void {
  const next = delimiters.map((d) => body.indexOf(d, from));
  for (let start = from; start <= body.length; ) {
    let end = body.length;
    for (let k = 0; k < delimiters.length; k++) {
      if (next[k] >= 0 && next[k] < start) next[k] = body.indexOf(delimiters[k], start);
      if (next[k] >= 0 && next[k] < end) end = next[k];
    }
    if (end > start) each(start, end);
    start = end + 1;
  }
}

/** The piece's bytes without the JSON whitespace around it. */
export function trimmedSpan(body: Buffer, start: number, end: number): [number, number] {
  while (start < end && isJsonSpace(body[start])) start++;
  while (end > start && isJsonSpace(body[end - 1])) end--;
  return [start, end];
}

/**
 * JSON.parse of the bytes [start, end); a syntax error is rethrown by
 * `malformed` with the byte offset where it was found.
 */
export function parseJsonSpan(body: Buffer, start: number, end: number, malformed: (detail: string, offset: number) => Error): unknown {
  const text = body.toString('utf8', start, end);
  try {
    return JSON.parse(text);
  } catch (err) {
    const { detail, position } = jsonParseDetail(err);
    throw malformed(detail, start + (position === undefined ? 0 : Buffer.byteLength(text.slice(0, position))));
  }
}

/**
 * V8's JSON.parse message without anything taken from the input: V8 quotes the
 * offending token and the start of the text (`Unexpected token 'p',
 * "password=h"... is not valid JSON`), and error bodies and logs must never
 * echo what a client sent. The caller reports line and offset instead.
 */
export function jsonParseDetail(err: unknown): { detail: string; position?: number } {
  const message = (err as Error).message;
  const position = /at position (\d+)/.exec(message);
  const detail = /^Unexpected token/.test(message)
    ? 'unexpected character'
    : message
        .replace(/, ".*$/s, '')
        .replace(/ in JSON at position \d+.*$/s, '')
        .slice(0, 200);
  return { detail, position: position ? Number(position[1]) : undefined };
}

/**
 * Neighbouring values are parsed together, up to this many bytes: one
 * JSON.parse per run instead of per value is a quarter faster, and the run's
 * text stays far below the 128 KiB where V8 strings get costly.
 */
const RUN_BYTES = 16 * 1024;

/** How parseJsonSpans reads a body's values. */
export interface JsonSpans {
  starts: readonly number[];
  ends: readonly number[];
  /** Value k follows value k-1 with only a separator between, so both can be parsed as one array. */
  joins: (k: number) => boolean;
  /** Joined values are separated by one `\n` (NDJSON), which becomes the comma of an array's elements; else by commas already. */
  newlineSeparated: boolean;
  /** The error for value k failing to parse, at a byte offset. */
  malformed: (k: number, detail: string, offset: number) => Error;
}

/** A run's bytes as one JSON array, `[` + values + `]`: built here, a run is decoded into one string, not two joined. */
const runScratch = Buffer.allocUnsafe(RUN_BYTES + 2);

function runText(body: Buffer, spans: JsonSpans, k0: number, k1: number): string {
  const from = spans.starts[k0];
  const length = spans.ends[k1] - from;
  runScratch[0] = 0x5b;
  body.copy(runScratch, 1, from, from + length);
  if (spans.newlineSeparated) for (let k = k0; k < k1; k++) runScratch[1 + spans.ends[k] - from] = 0x2c;
  runScratch[length + 1] = 0x5d;
  return runScratch.toString('utf8', 0, length + 2);
}

/**
 * Parses each value [starts[k], ends[k]) of the body, neighbours joined in
 * runs. A run that fails (or reads as a different number of values) is
 * parsed value by value, which finds the one at fault and says where.
 */
export function parseJsonSpans(body: Buffer, spans: JsonSpans): unknown[] {
  const { starts, ends, joins } = spans;
  const values: unknown[] = new Array(starts.length);
  for (let k0 = 0; k0 < starts.length; ) {
    let k1 = k0;
    while (k1 + 1 < starts.length && joins(k1 + 1) && ends[k1 + 1] - starts[k0] <= RUN_BYTES) k1++;
    let run: unknown[] | undefined;
    if (k1 > k0) {
      try {
        run = JSON.parse(runText(body, spans, k0, k1)) as unknown[];
        if (run.length !== k1 - k0 + 1) run = undefined;
      } catch {
        // Parsed value by value below.
      }
    }
    for (let k = k0; k <= k1; k++) {
      values[k] = run ? run[k - k0] : parseJsonSpan(body, starts[k], ends[k], (detail, offset) => spans.malformed(k, detail, offset));
    }
    k0 = k1 + 1;
  }
  return values;
}
