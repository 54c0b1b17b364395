/**
 * Tokenizer: splits a message on runs of whitespace, the way Drain does,
 * in one pass over char codes. Empty tokens never appear.
 */

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

export function tokenize(message: string): string[] {
  const tokens: string[] = [];
  const n = message.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    if (isSpace(message.charCodeAt(i))) {
      if (start >= 0) {
        tokens.push(message.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) tokens.push(message.slice(start));
  return tokens;
}
