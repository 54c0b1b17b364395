/**
 * A structural pre-pass over JSON bytes (RFC 8259), run before JSON.parse so a
 * body that would build too many records, too many objects or too deep a
 * value is refused before anything is allocated: 20 million `{}` fit in a
 * 58 KB gzip body and would cost gigabytes once parsed.
 *
 * Records are the top-level values, and the elements of a top-level array
 * (Vector's default body) unless `arraysAreRecords` (NDJSON, where a line that
 * is an array is one record). Each record is charged its byte length plus
 * CONTAINER_COST per object or array and MEMBER_COST per member, through the
 * DecodeBudget, which throws at the first limit passed.
 *
 * The pass works on the bytes, not on a decoded string: every structural
 * character is ASCII and never part of a multi-byte UTF-8 sequence, and a
 * string of more than 128 KiB is allocated by V8 in large-object space, which
 * costs about a millisecond per body (more than parsing it). Records are
 * returned as byte spans so each is decoded on its own, small string.
 * The pass only measures: it tolerates malformed bytes (strays and truncation
 * end a record where they are) and leaves reporting syntax errors to the
 * decoders. Strings are skipped with a native indexOf.
 */
import { CONTAINER_COST, MEMBER_COST, type DecodeBudget } from '../../decode_limits.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** Whitespace between values; NUL separates Vector's GELF messages. */
export function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x00;
}

function endsScalar(c: number): boolean {
  return isJsonSpace(c) || c === COMMA || c === RBRACKET || c === RBRACE || c === LBRACKET || c === LBRACE || c === QUOTE;
}

/** Index just past the string whose opening quote is at `start`, or -1 if unterminated. */
export function stringEnd(body: Buffer, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = body.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Where each record lies in the body and what it costs, in body order. */
export interface JsonShape {
  /** Byte offset of each record's first byte. */
  starts: number[];
  /** Byte offset just past each record. */
  ends: number[];
  /** Estimated heap bytes of each record. */
  costs: number[];
  /** The body ended inside the last record (an unterminated string, array or object). */
  truncated: boolean;
}

/** Measures the body from byte `from` (past any BOM); throws DecodeLimitError (via the budget) at the first limit passed. */
export function measureJson(body: Buffer, from: number, budget: DecodeBudget, arraysAreRecords: boolean): JsonShape {
  const shape: JsonShape = { starts: [], ends: [], costs: [], truncated: false };
  const n = body.length;
  let depth = 0;
  let inWrapper = false;
  /** Start of the record being measured; -1 between records. */
  let start = -1;
  let structure = 0;

  const endRecord = (end: number) => {
    budget.charge(end - start, start);
    shape.starts.push(start);
    shape.ends.push(end);
    shape.costs.push(end - start + structure);
    start = -1;
    structure = 0;
  };

  for (let i = from; i < n; i++) {
    const c = body[i];
    if (isJsonSpace(c)) continue;
    if (start < 0) {
      if (depth === 0 && c === LBRACKET && !arraysAreRecords) {
        depth = 1;
        inWrapper = true;
        continue;
      }
      if (inWrapper && c === RBRACKET) {
        depth = 0;
        inWrapper = false;
        continue;
      }
      // Separators and strays between records; the decoder reports the strays.
      if (c === COMMA || c === RBRACKET || c === RBRACE) continue;
      start = i;
      budget.addRecord(i);
    }
    const level = inWrapper ? 1 : 0;
    if (c === QUOTE) {
      const end = stringEnd(body, i);
      if (end < 0) break;
      i = end - 1;
      if (depth === level) endRecord(end);
    } else if (c === LBRACE || c === LBRACKET) {
      depth++;
      budget.checkDepth(depth - level, i);
      budget.charge(CONTAINER_COST + MEMBER_COST, i);
      structure += CONTAINER_COST + MEMBER_COST;
    } else if (c === RBRACE || c === RBRACKET) {
      if (depth > level) depth--;
      if (depth === level) endRecord(i + 1);
    } else if (c === COMMA) {
      budget.charge(MEMBER_COST, i);
      structure += MEMBER_COST;
    } else if (depth === level) {
      let j = i + 1;
      while (j < n && !endsScalar(body[j])) j++;
      endRecord(j);
      i = j - 1;
    }
  }
  if (start >= 0) {
    endRecord(n);
    shape.truncated = true;
  }
  return shape;
}
