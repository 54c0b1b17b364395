/**
 * IPv4 addresses: four dot-separated decimal groups of 1–3 digits
 * (RFC 791 dotted quad), e.g. `10.250.19.102`. A port after `:` is left to
 * the number mask.
 */
import { isDigit } from './chars.js';

/** End of a dotted quad starting at `i`, or -1. */
export function scanIpv4(s: string, i: number, end: number): number {
  for (let group = 0; group < 4; group++) {
    if (group > 0) {
      if (i >= end || s.charCodeAt(i) !== 46) return -1;
      i++;
    }
    const start = i;
    while (i < end && i - start < 4 && isDigit(s.charCodeAt(i))) i++;
    const len = i - start;
    if (len < 1 || len > 3) return -1;
  }
  if (i < end && isDigit(s.charCodeAt(i))) return -1;
  return i;
}
