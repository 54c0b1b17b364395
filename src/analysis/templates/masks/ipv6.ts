/**
 * IPv6 addresses (RFC 4291 text form): hex groups separated by `:`, either
 * all eight groups or compressed with `::`, optionally ending in a dotted
 * quad or a `%zone`. Clock times (`18:01:47`) have neither form.
 */
import { isHexDigit } from './chars.js';
import { scanIpv4 } from './ipv4.js';

export function isIpv6(s: string, start: number, end: number): boolean {
  let groups = 0;
  let compressed = false;
  let i = start;
  if (end - start < 2) return false;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 58 /* : */) {
      if (i + 1 < end && s.charCodeAt(i + 1) === 58) {
        if (compressed) return false;
        compressed = true;
        i += 2;
        continue;
      }
      if (i === start) return false;
      i++;
      continue;
    }
    if (c === 37 /* % */) return groups > 0 && (compressed || groups === 8) && i + 1 < end;
    const groupStart = i;
    while (i < end && i - groupStart < 5 && isHexDigit(s.charCodeAt(i))) i++;
    if (i < end && s.charCodeAt(i) === 46 /* . */ && groups > 0) {
      return scanIpv4(s, groupStart, end) === end && (compressed || groups === 6);
    }
    const len = i - groupStart;
    if (len < 1 || len > 4) return false;
    groups++;
    if (i < end && s.charCodeAt(i) !== 58 && s.charCodeAt(i) !== 37) return false;
  }
  return compressed ? groups <= 7 : groups === 8;
}
