/**
 * Personal data patterns: e-mail addresses (RFC 5322 addr-spec, the common
 * subset), payment card numbers (ISO/IEC 7812: 13-19 digits, issuer prefix
 * 2-6, Luhn-valid, so epoch-millisecond timestamps and ids stay), phone
 * numbers (E.164 with `+`, and NANP `(415) 555-0100` forms), and optionally
 * IPv4/IPv6 addresses (off by default: they are usually what an operator
 * needs to act on, and rarely identify a person in server logs).
 */
import { luhnValid } from './luhn.js';
import type { RedactionRule } from './rule.js';

const IPV4_OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;

export const PII_RULES: readonly RedactionRule[] = [
  { kind: 'EMAIL', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g },
  {
    kind: 'CARD',
    pattern: /(?<![\d-])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\d-])/g,
    accept: (value) => {
      const digits = value.replace(/[ -]/g, '');
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
    },
  },
  { kind: 'PHONE', pattern: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\d)/g },
  { kind: 'PHONE', pattern: /(?<![\w(])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w])/g },
];

export const IP_RULES: readonly RedactionRule[] = [
  { kind: 'IP', pattern: new RegExp(String.raw`(?<![\d.])(?:${IPV4_OCTET}\.){3}${IPV4_OCTET}(?![\d.])`, 'g') },
  // IPv6: eight groups, or fewer with `::`; `12:30:45` clock times have neither and stay.
  { kind: 'IP', pattern: /(?<![\w:.])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])/gi, accept: isIpv6 },
];

function isIpv6(value: string): boolean {
  const groups = value.split(':');
  if (groups.some((g) => g.length > 4)) return false;
  const compressed = value.split('::').length - 1;
  return compressed === 1 ? groups.length <= 8 : compressed === 0 && groups.length === 8;
}
