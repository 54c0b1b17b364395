/**
 * Timestamp parsing shared by every source: epoch numbers in s / ms / µs / ns,
 * RFC 3339 with any fraction length (Vector uses 0, 3, 6 or 9 digits), Fluent
 * Bit's `java_sql_timestamp` (`2026-08-21 10:00:00.123456`, UTC), and RFC 3164
 * style dates without a year are left to the syslog parser. Returns epoch ms.
 */

/** Below these magnitudes a number is seconds, milliseconds, microseconds; above, nanoseconds. */
const MAX_SECONDS = 1e11;
const MAX_MILLIS = 1e14;
const MAX_MICROS = 1e17;

export function epochToMillis(n: number): number {
  const a = Math.abs(n);
  if (a < MAX_SECONDS) return n * 1000;
  if (a < MAX_MILLIS) return n;
  if (a < MAX_MICROS) return n / 1000;
  return n / 1e6;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

const ZERO = 48;

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

let lastHour = -1;
let lastHourMs = 0;

/**
 * The shape nearly every shipper sends, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, read
 * by character codes: this runs once per record on the ingest path, where the
 * general regular expression below costs several times more.
 */
function parseUtcFast(s: string): number | undefined {
  const n = s.length;
  // Char codes, not s[i]: indexing makes a one-character string per test.
  if (
    n < 20 ||
    s.charCodeAt(n - 1) !== 90 /* Z */ ||
    s.charCodeAt(4) !== 45 /* - */ ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 /* T */ ||
    s.charCodeAt(13) !== 58 /* : */ ||
    s.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10), h = digits(s, 11, 13), mi = digits(s, 14, 16), sec = digits(s, 17, 19);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return undefined;
  // Records of a batch share their hour: Date.UTC once per hour, not once per record.
  const hour = ((y * 100 + mo) * 100 + d) * 100 + h;
  if (hour !== lastHour) {
    lastHourMs = Date.UTC(y, mo - 1, d, h);
    lastHour = hour;
  }
  let ms = lastHourMs + mi * 60_000 + sec * 1000;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46 /* . */ || n - 21 < 1 || n - 21 > 9) return undefined;
    const frac = digits(s, 20, n - 1);
    if (frac < 0) return undefined;
    ms += frac / 10 ** (n - 21 - 3);
  }
  return ms;
}

/** Parses an ISO-like string; a string without a zone is taken as UTC (what Fluent Bit and most shippers mean). */
export function parseIsoMillis(s: string): number | undefined {
  return parseUtcFast(s) ?? parseIsoGeneral(s);
}

/** Any ISO-like shape, by the general regular expression. */
function parseIsoGeneral(s: string): number | undefined {
  const m = ISO.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +sec > 60) return undefined;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec);
  if (Number.isNaN(ms)) return undefined;
  if (frac) ms += Number(`0.${frac}`) * 1000;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}

export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? epochToMillis(v) : undefined;
  if (typeof v === 'bigint') return epochToMillis(Number(v));
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v !== 'string' || v.length === 0) return undefined;
  // The common shape first: every record of a Vector batch carries one.
  const fast = parseUtcFast(v);
  if (fast !== undefined) return fast;
  if (/^\d+(\.\d+)?$/.test(v)) return epochToMillis(Number(v));
  return parseIsoGeneral(v);
}
