/**
 * Variable masking: rewrites the variable parts of a tokenized message as
 * placeholders before the tree sees it, so `blk_-6952…`, `10.0.0.1:50010` and
 * `totalSteps=3579` read `blk_<num>`, `<ip>:<num>` and `totalSteps=<num>`.
 *
 * Guarantees: masking never adds or removes tokens (a placeholder replaces
 * characters inside one token), and a token is scanned once, left to right,
 * with char-code checks rather than a chain of regexes. Values inside
 * `key=value`, `key:value`, `name_123` and `(…)` are masked piecewise, which
 * keeps the key as part of the template.
 */
import { alnumRunEnd, digitRunEnd, isAlnum, isAlpha, isDigit } from './chars.js';
import { maskDateNames } from './date.js';
import { isDurationUnit, scanClock } from './duration.js';
import { isEmail } from './email.js';
import { isHexRun } from './hex.js';
import { scanIpv4 } from './ipv4.js';
import { isIpv6 } from './ipv6.js';
import { scanNumber } from './number.js';
import { pathKind } from './path.js';
import { PLACEHOLDER } from './placeholders.js';
import { maskQuoted } from './quoted.js';
import { isSizeUnit } from './size.js';
import { scanUuid } from './uuid.js';
import { TOKEN_AT, TOKEN_COLONS, TOKEN_DIGIT, TOKEN_SLASH, tokenShape, type LineShape } from '../tokenize.js';

/** A user-supplied mask: every match of `pattern` inside a token becomes `<name>`. */
export interface ExtraMask {
  name: string;
  pattern: RegExp;
}

/** Opening punctuation kept outside a masked value. */
const isLead = (c: number): boolean =>
  c === 40 || c === 91 || c === 123 || c === 60 || c === 34 || c === 39 || c === 35 || c === 61 || c === 64;
/** Closing punctuation kept outside a masked value. */
const isTrail = (c: number): boolean =>
  c === 44 || c === 59 || c === 58 || c === 46 || c === 41 || c === 93 || c === 125 || c === 62 || c === 34 ||
  c === 39 || c === 33 || c === 63;

/**
 * Masks `tokens` in place, their shapes as `tokenize` noted them in `shape`.
 * `masked[i]` becomes 1 for every token that now holds a placeholder. The
 * array lengths never change. Returns whether a quoted value was masked.
 */
export function maskTokens(tokens: string[], masked: Uint8Array, extra: readonly ExtraMask[], shape: LineShape): boolean {
  const quoted = shape.quote && maskQuoted(tokens, masked);
  let prevNumeric = false;
  let dates = false;
  for (let i = 0; i < tokens.length; i++) {
    if (masked[i] === 1) {
      prevNumeric = false;
      continue;
    }
    let t = tokens[i];
    let bits = shape.flags[i];
    let changed = false;
    for (const m of extra) {
      const r = t.replace(m.pattern, `<${m.name}>`);
      if (r !== t) {
        t = r;
        bits = tokenShape(t);
        changed = true;
      }
    }
    const out: string = prevNumeric ? maskUnit(t, bits) : bits === 0 ? t : maskShaped(t, bits);
    if (out !== t) {
      t = out;
      changed = true;
    }
    if (changed) {
      tokens[i] = t;
      masked[i] = 1;
    }
    prevNumeric = changed && t.endsWith(PLACEHOLDER.num);
    if (changed) dates = true;
  }
  if (dates) maskDateNames(tokens, masked);
  return quoted;
}

/** A unit word right after a number token (`1.16 KB`, `<1 sec`) is part of that value. */
function maskUnit(t: string, bits: number): string {
  let s = 0;
  let e = t.length;
  while (e > s && isTrail(t.charCodeAt(e - 1))) e--;
  if (e === s) return t;
  if (isSizeUnit(t, s, e)) return PLACEHOLDER.size + t.slice(e);
  if (isDurationUnit(t, s, e)) return PLACEHOLDER.duration + t.slice(e);
  return bits === 0 ? t : maskShaped(t, bits);
}

/** Masks the variable parts of one token; returns the token itself when nothing is variable. */
export function maskToken(t: string): string {
  return maskShaped(t, tokenShape(t));
}

/**
 * `maskToken` for a token whose shape bits are known. The bits describe the
 * whole token, punctuation around the value included: an `@` or colon there
 * only costs a check that fails (no address or IPv6 is made of punctuation).
 */
function maskShaped(t: string, bits: number): string {
  const n = t.length;
  let s = 0;
  let e = n;
  while (s < e && isLead(t.charCodeAt(s))) s++;
  while (e > s && isTrail(t.charCodeAt(e - 1))) e--;
  if (s >= e) return t;
  if ((bits & TOKEN_AT) !== 0 && isEmail(t, s, e)) return t.slice(0, s) + PLACEHOLDER.email + t.slice(e);
  if ((bits & TOKEN_SLASH) !== 0) {
    const kind = pathKind(t, s, e);
    if (kind !== undefined) return t.slice(0, s) + PLACEHOLDER[kind] + t.slice(e);
  }
  if ((bits & TOKEN_COLONS) !== 0) {
    if (isIpv6(t, s, e)) return t.slice(0, s) + PLACEHOLDER.ip + t.slice(e);
    const close = s > 0 && t.charCodeAt(s - 1) === 91 /* [ */ ? t.indexOf(']', s) : -1;
    if (close > s && isIpv6(t, s, close)) return t.slice(0, s) + PLACEHOLDER.ip + maskToken(t.slice(close));
  }
  if ((bits & TOKEN_DIGIT) === 0) return t;
  return maskRuns(t, s, e);
}

/** Piecewise pass: each alphanumeric run is kept or replaced by the placeholder of the value it starts. */
function maskRuns(t: string, s: number, e: number): string {
  let out = '';
  let copied = 0;
  let i = s;
  while (i < e) {
    const c = t.charCodeAt(i);
    if (!isAlnum(c)) {
      i++;
      continue;
    }
    const runEnd = alnumRunEnd(t, i, e);
    let end = -1;
    let kind: string = PLACEHOLDER.num;
    if (runEnd - i === 8 && t.charCodeAt(runEnd) === 45 && (end = scanUuid(t, i, e)) > 0) kind = PLACEHOLDER.uuid;
    else if (isDigit(c)) {
      // A dotted quad opens with 1-3 digits and a dot, a clock span with 1-2 digits and a colon: most numbers are neither.
      const digits = digitRunEnd(t, i, runEnd) - i;
      // A token that is one whole number, the commonest value there is, needs no further reading.
      if (digits === t.length) return PLACEHOLDER.num;
      const sep = t.charCodeAt(i + digits);
      if (sep === 46 && digits <= 3 && (end = scanIpv4(t, i, e)) > 0) kind = PLACEHOLDER.ip;
      else if (sep === 58 && digits <= 2 && (end = scanClock(t, i, e)) > 0) kind = PLACEHOLDER.duration;
      else {
        const numEnd = scanNumber(t, i + digits, e);
        if (numEnd === e || !isAlpha(t.charCodeAt(numEnd))) end = numEnd;
        else {
          const unitEnd = alnumRunEnd(t, numEnd, e);
          if (isDurationUnit(t, numEnd, unitEnd)) {
            end = unitEnd;
            kind = PLACEHOLDER.duration;
          } else if (isSizeUnit(t, numEnd, unitEnd)) {
            end = unitEnd;
            kind = PLACEHOLDER.size;
          } else if (isHexRun(t, i, runEnd)) {
            end = runEnd;
            kind = PLACEHOLDER.hex;
          }
        }
      }
    } else if (isHexRun(t, i, runEnd)) {
      end = runEnd;
      kind = PLACEHOLDER.hex;
    }
    if (end < 0) {
      i = runEnd;
      continue;
    }
    let start = i;
    const sign = start > s ? t.charCodeAt(start - 1) : 0;
    if ((sign === 45 || sign === 43) && (start - 1 === s || !isAlnum(t.charCodeAt(start - 2)))) start--;
    out += t.slice(copied, start) + kind;
    copied = end;
    i = end;
  }
  return copied === 0 ? t : out + t.slice(copied);
}
