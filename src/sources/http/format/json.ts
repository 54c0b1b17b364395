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
 * bracket scan and parsed on its own, which gives every error its line and
 * byte offset. Either way measureJson walks the text first, so the record
 * count, estimated heap and nesting depth are bounded before anything is
 * parsed, and each record is charged its estimated heap size.
 */
import { MalformedBodyError } from '../errors.js';
import type { DecodeBudget } from '../../decode_limits.js';
import { measureJson, stringEnd } from './json_shape.js';
import { bodyText, jsonParseDetail, locate, valueToFields, type RawRecord } from './raw_record.js';

const STRUCTURAL = /["{}[\]]/g;
const SCALAR_END = /[\s,{}[\]"]/g;
const NON_WHITESPACE = /\S/g;

function skipWhitespace(text: string, from: number): number {
  NON_WHITESPACE.lastIndex = from;
  return NON_WHITESPACE.exec(text)?.index ?? text.length;
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
function takeValue(text: string, start: number, out: RawRecord[], costs: number[]): number {
  const end = valueEnd(text, start);
  if (end < 0) throw malformed(text, start, 'value never ends (truncated body?)');
  if (end === start) throw malformed(text, start, 'expected a JSON value');
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end));
  } catch (err) {
    const { detail, position } = jsonParseDetail(err);
    throw malformed(text, start + (position ?? 0), detail);
  }
  out.push({ fields: valueToFields(value), size: costs[out.length] ?? end - start });
  return end;
}

/**
 * The common case, one array or one object, parsed by JSON.parse in a single
 * native pass: on Vector's default body this is about twice as fast as the
 * scan below. Anything JSON.parse refuses (json_stream, a truncated or malformed body)
 * goes through the scan, which says where it breaks.
 */
function decodeWhole(text: string, costs: number[]): RawRecord[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const values = Array.isArray(value) ? value : [value];
  const fallback = Math.ceil(text.length / Math.max(1, values.length));
  return values.map((v, i) => ({ fields: valueToFields(v), size: costs[i] ?? fallback }));
}

export function decodeJson(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const text = bodyText(body);
  const costs = measureJson(text, budget, false);
  const whole = decodeWhole(text, costs);
  if (whole) return whole;
  const out: RawRecord[] = [];
  let i = skipWhitespace(text, 0);
  while (i < text.length) {
    if (text[i] !== '[') {
      i = skipWhitespace(text, takeValue(text, i, out, costs));
      continue;
    }
    i = skipWhitespace(text, i + 1);
    if (text[i] === ']') {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    for (;;) {
      i = skipWhitespace(text, takeValue(text, i, out, costs));
      if (text[i] === ',') {
        i = skipWhitespace(text, i + 1);
      } else if (text[i] === ']') {
        i = skipWhitespace(text, i + 1);
        break;
      } else {
        throw malformed(text, i, i >= text.length ? 'array never closes (truncated body?)' : 'expected "," or "]"');
      }
    }
  }
  return out;
}
