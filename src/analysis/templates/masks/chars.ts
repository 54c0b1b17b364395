/**
 * Character classes on UTF-16 char codes, shared by every mask scanner.
 * Masks work on char codes rather than regexes so one pass over a token
 * decides everything (the miner's hot path).
 */

// One unsigned comparison per range: `c - lo` wraps below `lo`, and `| 32` folds A-Z onto a-z (and nothing else onto it).
export const isDigit = (c: number): boolean => (c - 48) >>> 0 < 10;
export const isAlpha = (c: number): boolean => ((c | 32) - 97) >>> 0 < 26;
export const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);
export const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** End (exclusive) of the run of ASCII letters and digits starting at `i`. */
export function alnumRunEnd(s: string, i: number, end: number): number {
  while (i < end && isAlnum(s.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of the run of ASCII digits starting at `i`. */
export function digitRunEnd(s: string, i: number, end: number): number {
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/**
 * A fixed list of lower-case words (units, month names) matched against a
 * slice of a string, ignoring ASCII case, without allocating: the slice is
 * compared char code by char code with the words of its length and first
 * letter (most slices share neither with any word, and are turned away by
 * one lookup).
 */
export class WordList {
  /** Words by length, then by first char code. */
  private readonly byLength: Array<Array<string[] | undefined>> = [];

  constructor(words: readonly string[]) {
    for (const w of words) ((this.byLength[w.length] ??= [])[w.charCodeAt(0)] ??= []).push(w);
  }

  has(s: string, start: number, end: number): boolean {
    const words = this.byLength[end - start]?.[lower(s.charCodeAt(start))];
    if (words === undefined) return false;
    for (const w of words) {
      let i = 1;
      for (; i < w.length; i++) if (lower(s.charCodeAt(start + i)) !== w.charCodeAt(i)) break;
      if (i === w.length) return true;
    }
    return false;
  }
}

const lower = (c: number): number => (c >= 65 && c <= 90 ? c | 32 : c);
