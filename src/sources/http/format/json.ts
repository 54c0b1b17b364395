/**
 * `application/json` bodies, in every shape the senders produce:
 * - a JSON array of events (Vector codec json, Fluent Bit format json);
 * - a single object;
 * - objects back to back with no separator (Fluent Bit format json_stream,
 *   still labelled application/json) or separated by whitespace/newlines;
 * - array elements that are strings (Vector log_namespace = true) → {message}.
 * Fluent Bit puts its date key first, so a record with its own `date` has a
 * duplicate key; JSON.parse keeps the last one (the record's).
 *
 * A body that is one JSON value is parsed whole; otherwise each top-level value
 * (and each element of a top-level array) is delimited by a string-aware
 * bracket scan and parsed on its own, which gives every record its size and
 * every error its line and byte offset.
 */
import { MalformedBodyError } from '../errors.js';
import {
  bodyText,
  ensureRoom,
  jsonParseDetail,
  locate,
  valueToFields,
  type DecodeLimits,
  type RawRecord,
} from './raw_record.js';

const STRUCTURAL = /["{}[\]]/g;
const SCALAR_END = /[\s,{}[\]"]/g;
const NON_WHITESPACE = /\S/g;

function skipWhitespace(text: string, from: number): number {
  NON_WHITESPACE.lastIndex = from;
  return NON_WHITESPACE.exec(text)?.index ?? text.length;
}

/** Index just past the string whose opening quote is at `start`, or -1 if unterminated. */
function stringEnd(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Index just past the JSON value starting at `start`, or -1 if it never ends. Validity is left to JSON.parse. */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first === '{' || first === '[') {
    let depth = 0;
    STRUCTURAL.lastIndex = start;
    for (let m = STRUCTURAL.exec(text); m; m = STRUCTURAL.exec(text)) {
      const ch = m[0];
      if (ch === '"') {
        const end = stringEnd(text, m.index);
        if (end < 0) return -1;
        STRUCTURAL.lastIndex = end;
      } else if (ch === '{' || ch === '[') {
        depth++;
      } else if (--depth === 0) {
        return m.index + 1;
      }
    }
    return -1;
  }
  SCALAR_END.lastIndex = start;
  return SCALAR_END.exec(text)?.index ?? text.length;
}

function malformed(text: string, at: number, detail: string): MalformedBodyError {
  return new MalformedBodyError(detail, { format: 'json', ...locate(text, at) });
}

/** Parses the value at `start`, appends it as a record and returns the index after it. */
function takeValue(text: string, start: number, out: RawRecord[], limits: DecodeLimits): number {
  const end = valueEnd(text, start);
  if (end < 0) throw malformed(text, start, 'value never ends (truncated body?)');
  if (end === start) throw malformed(text, start, `expected a JSON value, found "${text[start]}"`);
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end));
  } catch (err) {
    const { detail, position } = jsonParseDetail(err);
    throw malformed(text, start + (position ?? 0), detail);
  }
  ensureRoom(out.length, limits);
  out.push({ fields: valueToFields(value), size: end - start });
  return end;
}

/**
 * The common case, one array or one object, parsed by JSON.parse in a single
 * native pass: on Vector's default body this is about twice as fast as the
 * scan below. Each record is then charged an equal share of the body's size.
 * Anything JSON.parse refuses (json_stream, a truncated or malformed body)
 * goes through the scan, which says where it breaks.
 */
function decodeWhole(text: string, limits: DecodeLimits): RawRecord[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const values = Array.isArray(value) ? value : [value];
  const size = Math.ceil(text.length / Math.max(1, values.length));
  const out: RawRecord[] = [];
  for (const v of values) {
    ensureRoom(out.length, limits);
    out.push({ fields: valueToFields(v), size });
  }
  return out;
}

export function decodeJson(body: Buffer, limits: DecodeLimits): RawRecord[] {
  const text = bodyText(body);
  const whole = decodeWhole(text, limits);
  if (whole) return whole;
  const out: RawRecord[] = [];
  let i = skipWhitespace(text, 0);
  while (i < text.length) {
    if (text[i] !== '[') {
      i = skipWhitespace(text, takeValue(text, i, out, limits));
      continue;
    }
    i = skipWhitespace(text, i + 1);
    if (text[i] === ']') {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    for (;;) {
      i = skipWhitespace(text, takeValue(text, i, out, limits));
      if (text[i] === ',') {
        i = skipWhitespace(text, i + 1);
      } else if (text[i] === ']') {
        i = skipWhitespace(text, i + 1);
        break;
      } else {
        throw malformed(text, i, i >= text.length ? 'array never closes (truncated body?)' : `expected "," or "]", found "${text[i]}"`);
      }
    }
  }
  return out;
}
