/**
 * Tokenizer: splits a message on runs of whitespace, the way Drain does,
 * in one pass over char codes. Empty tokens never appear.
 *
 * A comma directly followed by a double quote also ends a token (keeping the
 * comma): compact JSON (`{"event":"login_ok","user":"dilan85"}`) has no
 * whitespace at all, and as one token every user would make its own
 * template; split at its members, the differing member becomes a `<*>` like
 * any other variable.
 *
 * The same pass notes each token's shape (a digit, `@`, a slash, two colons)
 * and whether the line holds a quote, so the masks pass over a plain word
 * without reading it again: every char of a line is read here anyway.
 */

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
const COMMA = 44;
const QUOTE = 34;
const APOSTROPHE = 39;
const COLON = 58;

/** Shape bits: the token holds a digit, an `@`, a `/` or `\`, two colons or more. No bit set: a plain word no mask changes. */
export const TOKEN_DIGIT = 1;
export const TOKEN_AT = 2;
export const TOKEN_SLASH = 4;
export const TOKEN_COLONS = 8;

/** The shape bit a char sets (colons are counted apart). */
const shapeOf = (c: number): number =>
  c <= 57 ? (c >= 48 ? TOKEN_DIGIT : c === 47 ? TOKEN_SLASH : 0) : c === 64 ? TOKEN_AT : c === 92 ? TOKEN_SLASH : 0;

/** What `tokenize` learnt about a line: scratch, reused line after line. */
export class LineShape {
  /** Shape bits of the first `flags.length` tokens. */
  readonly flags: Uint8Array;
  /** The line holds a `"` or `'`. */
  quote = false;

  constructor(maxTokens: number) {
    this.flags = new Uint8Array(maxTokens);
  }
}

/** Shape bits of one token, for a token `tokenize` did not shape (one a user mask rewrote). */
export function tokenShape(t: string): number {
  let bits = 0;
  let colons = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    bits |= shapeOf(c);
    if (c === COLON && ++colons === 2) bits |= TOKEN_COLONS;
  }
  return bits;
}

export function tokenize(message: string, shape?: LineShape): string[] {
  const tokens: string[] = [];
  const flags = shape?.flags;
  const shaped = flags === undefined ? 0 : flags.length;
  const n = message.length;
  let start = -1;
  let bits = 0;
  let colons = 0;
  let quote = false;
  for (let i = 0; i < n; i++) {
    const c = message.charCodeAt(i);
    if (c <= 32 && isSpace(c)) {
      if (start >= 0) {
        if (tokens.length < shaped) flags![tokens.length] = bits;
        tokens.push(message.slice(start, i));
        start = -1;
      }
      continue;
    }
    if (start < 0) {
      start = i;
      bits = 0;
      colons = 0;
    }
    // Letters, the most of any line, settle in one comparison; the rest is ranged before it is told apart.
    if (c >= 65) {
      if (c === 92) bits |= TOKEN_SLASH;
    } else if (c >= 48) {
      bits |= shapeOf(c);
      if (c === COLON && ++colons === 2) bits |= TOKEN_COLONS;
    } else if (c === 47) bits |= TOKEN_SLASH;
    else if (c === QUOTE || c === APOSTROPHE) quote = true;
    else if (c === COMMA && message.charCodeAt(i + 1) === QUOTE) {
      if (tokens.length < shaped) flags![tokens.length] = bits;
      tokens.push(message.slice(start, i + 1));
      start = -1;
    }
  }
  if (start >= 0) {
    if (tokens.length < shaped) flags![tokens.length] = bits;
    tokens.push(message.slice(start));
  }
  if (shape) shape.quote = quote;
  return tokens;
}
