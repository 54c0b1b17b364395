/**
 * Email addresses: `local@domain.tld` (RFC 5322 addr-spec, the common subset:
 * no quoted local parts, a dot in the domain).
 */
import { isAlnum } from './chars.js';

const LOCAL_EXTRA = new Set([33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 47, 61, 63, 94, 95, 96, 123, 124, 125, 126]);

export function isEmail(s: string, start: number, end: number): boolean {
  const at = s.indexOf('@', start);
  if (at <= start || at >= end - 3) return false;
  for (let i = start; i < at; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && !LOCAL_EXTRA.has(c)) return false;
  }
  let dot = false;
  for (let i = at + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (i === at + 1 || i === end - 1) return false;
      dot = true;
    } else if (!isAlnum(c) && c !== 45) return false;
  }
  return dot;
}
