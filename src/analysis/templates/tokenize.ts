/**
 * Tokenizer: splits a message on runs of whitespace, the way Drain does,
 * in one pass over char codes. Empty tokens never appear.
 *
 * A comma directly followed by a double quote also ends a token (keeping the
 * comma): compact JSON (`{"event":"login_ok","user":"dilan85"}`) has no
 * whitespace at all, and as one token every user would make its own
 * template; split at its members, the differing member becomes a `<*>` like
 * any other variable.
 */

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
const COMMA = 44;
const QUOTE = 34;

export function tokenize(message: string): string[] {
  const tokens: string[] = [];
  const n = message.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = message.charCodeAt(i);
    if (isSpace(c)) {
      if (start >= 0) {
        tokens.push(message.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
    if (c === COMMA && start >= 0 && message.charCodeAt(i + 1) === QUOTE) {
      tokens.push(message.slice(start, i + 1));
      start = -1;
    }
  }
  if (start >= 0) tokens.push(message.slice(start));
  return tokens;
}
