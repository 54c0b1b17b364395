/**
 * Numbers: integers and decimals, with dotted groups folded in (`1.16`,
 * `2.6.5`) so a value reads as one `<num>` whatever its precision.
 */
import { isDigit } from './chars.js';

/** End of the number starting at digit `i` (digits, then `.digits` groups), within `end`. */
export function scanNumber(s: string, i: number, end: number): number {
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  while (i + 1 < end && s.charCodeAt(i) === 46 /* . */ && isDigit(s.charCodeAt(i + 1))) {
    i += 2;
    while (i < end && isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}
