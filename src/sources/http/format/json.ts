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
 * measureJson walks the bytes first, so the record count, estimated heap and
 * nesting depth are bounded before anything is parsed, and yields each
 * record's byte span. What lies between records (array brackets, commas) is
 * checked here; neighbouring elements of an array are then parsed together in
 * small runs (parseJsonSpans), which keeps every string small and gives every
 * error its line and byte offset.
 */
import { MalformedBodyError } from '../errors.js';
import type { DecodeBudget } from '../../decode_limits.js';
import { isJsonSpace, measureJson, type JsonShape } from './json_shape.js';
import { bomLength, locate, parseJsonSpans, valueToFields, type RawRecord } from './raw_record.js';

const COMMA = 0x2c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

function malformed(body: Buffer, offset: number, detail: string): MalformedBodyError {
  return new MalformedBodyError(detail, { format: 'json', ...locate(body, offset) });
}

/** Where the top-level grammar stands between two records. */
type Between = 'outside' | 'array_start' | 'after_element' | 'after_comma';

/**
 * Walks the bytes between records, from `from` to `to`, and returns where the
 * grammar stands; throws at the first byte that cannot be there. Outside an
 * array, values may follow each other directly (json_stream); inside, they
 * are separated by exactly one comma.
 */
function walkGap(body: Buffer, from: number, to: number, state: Between): Between {
  for (let i = from; i < to; i++) {
    const c = body[i];
    if (isJsonSpace(c)) continue;
    if (state === 'outside' && c === LBRACKET) state = 'array_start';
    else if ((state === 'array_start' || state === 'after_element') && c === RBRACKET) state = 'outside';
    else if (state === 'after_element' && c === COMMA) state = 'after_comma';
    else if (state === 'array_start' || state === 'after_comma') throw malformed(body, i, 'expected a JSON value');
    else if (state === 'after_element') throw malformed(body, i, 'expected "," or "]"');
    else throw malformed(body, i, 'unexpected character');
  }
  return state;
}

/**
 * Checks the grammar around the records before any of them is parsed, and
 * returns which records follow the previous one in the same array (only a
 * comma and whitespace between them), so they can be parsed together.
 */
function checkBetween(body: Buffer, from: number, shape: JsonShape): Uint8Array {
  const { starts, ends } = shape;
  const chained = new Uint8Array(starts.length);
  let state: Between = 'outside';
  let at = from;
  for (let k = 0; k < starts.length; k++) {
    const before = state;
    state = walkGap(body, at, starts[k], state);
    if (state === 'after_element') throw malformed(body, starts[k], 'expected "," or "]"');
    if (state === 'after_comma' && before === 'after_element') chained[k] = 1;
    if (state !== 'outside') state = 'after_element';
    at = ends[k];
  }
  if (shape.truncated) throw malformed(body, starts[starts.length - 1], 'value never ends (truncated body?)');
  state = walkGap(body, at, body.length, state);
  if (state === 'after_comma') throw malformed(body, body.length, 'expected a JSON value');
  if (state !== 'outside') throw malformed(body, body.length, 'array never closes (truncated body?)');
  return chained;
}

export function decodeJson(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const from = bomLength(body);
  const shape = measureJson(body, from, budget, false);
  const chained = checkBetween(body, from, shape);
  const values = parseJsonSpans(body, {
    starts: shape.starts,
    ends: shape.ends,
    joins: (k) => chained[k] === 1,
    newlineSeparated: false,
    malformed: (_k, detail, offset) => malformed(body, offset, detail),
  });
  return values.map((value, k) => ({ fields: valueToFields(value), size: shape.costs[k] }));
}
