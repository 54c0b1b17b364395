/**
 * UUIDs (RFC 9562 string form): 8-4-4-4-12 hex digits, any version.
 */
import { isHexDigit } from './chars.js';

const GROUPS = [8, 4, 4, 4, 12];

/** End of a UUID starting at `i`, or -1. */
export function scanUuid(s: string, i: number, end: number): number {
  if (end - i < 36) return -1;
  for (let g = 0; g < GROUPS.length; g++) {
    if (g > 0) {
      if (s.charCodeAt(i) !== 45 /* - */) return -1;
      i++;
    }
    for (let k = 0; k < GROUPS[g]; k++, i++) if (!isHexDigit(s.charCodeAt(i))) return -1;
  }
  if (i < end && isHexDigit(s.charCodeAt(i))) return -1;
  return i;
}
