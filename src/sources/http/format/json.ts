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
 * checked here; each record is then decoded and parsed on its own, which keeps
 * every string small and gives every error its line and byte offset.
 */
import { MalformedBodyError } from '../errors.js';
import type { DecodeBudget } from '../../decode_limits.js';
import { isJsonSpace, measureJson, type JsonShape } from './json_shape.js';
import { bomLength, locate, parseJsonSpan, valueToFields, type RawRecord } from './raw_record.js';

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

/**
 * Neighbouring elements of one array are parsed together, up to this many
 * bytes: one JSON.parse per run instead of per record is a quarter faster,
 * and the run's text stays far below the 128 KiB where V8 strings get costly.
 */
const RUN_BYTES = 16 * 1024;

export function decodeJson(body: Buffer, budget: DecodeBudget): RawRecord[] {
  const from = bomLength(body);
  const shape = measureJson(body, from, budget, false);
  const chained = checkBetween(body, from, shape);
  const { starts, ends, costs } = shape;
  const fail = (detail: string, offset: number) => malformed(body, offset, detail);
  const out: RawRecord[] = new Array(starts.length);
  for (let k0 = 0; k0 < starts.length; ) {
    let k1 = k0;
    while (k1 + 1 < starts.length && chained[k1 + 1] === 1 && ends[k1 + 1] - starts[k0] <= RUN_BYTES) k1++;
    let values: unknown[] | undefined;
    if (k1 > k0) {
      try {
        values = JSON.parse(`[${body.toString('utf8', starts[k0], ends[k1])}]`) as unknown[];
        if (values.length !== k1 - k0 + 1) values = undefined;
      } catch {
        // Parsed one by one below, which finds the record at fault and says where.
      }
    }
    for (let k = k0; k <= k1; k++) {
      const value = values ? values[k - k0] : parseJsonSpan(body, starts[k], ends[k], fail);
      out[k] = { fields: valueToFields(value), size: costs[k] };
    }
    k0 = k1 + 1;
  }
  return out;
}
