/**
 * A structural pre-pass over JSON text (RFC 8259), run before JSON.parse so a
 * body that would build too many records, too many objects or too deep a
 * value is refused before anything is allocated: 20 million `{}` fit in a
 * 58 KB gzip body and would cost gigabytes once parsed.
 *
 * Records are the top-level values, and the elements of a top-level array
 * (Vector's default body) unless `arraysAreRecords` (NDJSON, where a line that
 * is an array is one record). Each record is charged its text length plus
 * CONTAINER_COST per object or array and MEMBER_COST per member, through the
 * DecodeBudget, which throws at the first limit passed.
 * The pass only measures: it tolerates malformed text (strays and truncation
 * end a record where they are) and leaves reporting syntax errors to
 * JSON.parse. One char-code loop; strings are skipped with indexOf.
 */
import { CONTAINER_COST, MEMBER_COST, type DecodeBudget } from '../../decode_limits.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** Whitespace between values; NUL separates Vector's GELF messages. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x00;
}

function endsScalar(c: number): boolean {
  return isSpace(c) || c === COMMA || c === RBRACKET || c === RBRACE || c === LBRACKET || c === LBRACE || c === QUOTE;
}

/** Index just past the string whose opening quote is at `start`, or -1 if unterminated. */
export function stringEnd(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Estimated heap bytes of each record, in body order; throws DecodeLimitError (via the budget) at the first limit passed. */
export function measureJson(text: string, budget: DecodeBudget, arraysAreRecords: boolean): number[] {
  const costs: number[] = [];
  const n = text.length;
  let depth = 0;
  let inWrapper = false;
  /** Start of the record being measured; -1 between records. */
  let start = -1;
  let structure = 0;

  const endRecord = (end: number) => {
    budget.charge(end - start, start);
    costs.push(end - start + structure);
    start = -1;
    structure = 0;
  };

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
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
      // Separators and strays between records; the parser reports the strays.
      if (c === COMMA || c === RBRACKET || c === RBRACE) continue;
      start = i;
      budget.addRecord(i);
    }
    const level = inWrapper ? 1 : 0;
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      i = (end < 0 ? n : end) - 1;
      if (depth === level) endRecord(i + 1);
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
      while (j < n && !endsScalar(text.charCodeAt(j))) j++;
      endRecord(j);
      i = j - 1;
    }
  }
  if (start >= 0) endRecord(n);
  return costs;
}
