/**
 * Hex values: `0x`-prefixed literals, and bare runs of hex digits long enough
 * (≥ 8) and mixed enough (a digit and a letter, or all digits) to be an id,
 * hash or address rather than a word like `deadline` or `cafe`.
 */
import { isDigit, isHexDigit } from './chars.js';

const MIN_BARE_HEX = 8;

/** Whether the alphanumeric run s[start, end) is a hex value. */
export function isHexRun(s: string, start: number, end: number): boolean {
  const len = end - start;
  if (len > 2 && s.charCodeAt(start) === 48 && (s.charCodeAt(start + 1) | 32) === 120 /* x */) {
    for (let i = start + 2; i < end; i++) if (!isHexDigit(s.charCodeAt(i))) return false;
    return true;
  }
  if (len < MIN_BARE_HEX) return false;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isHexDigit(c)) return false;
    if (isDigit(c)) digits++;
  }
  return digits > 0;
}
