/**
 * Character classes on UTF-16 char codes, shared by every mask scanner.
 * Masks work on char codes rather than regexes so one pass over a token
 * decides everything (the miner's hot path).
 */

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
export const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);
export const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** End (exclusive) of the run of ASCII letters and digits starting at `i`. */
export function alnumRunEnd(s: string, i: number, end: number): number {
  while (i < end && isAlnum(s.charCodeAt(i))) i++;
  return i;
}

/** Lower-cased slice, for the few word-list lookups (units). */
export function lowerSlice(s: string, start: number, end: number): string {
  return s.slice(start, end).toLowerCase();
}
