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

/** Parses an ISO-like string; a string without a zone is taken as UTC (what Fluent Bit and most shippers mean). */
export function parseIsoMillis(s: string): number | undefined {
  const m = ISO.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
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
  if (/^\d+(\.\d+)?$/.test(v)) return epochToMillis(Number(v));
  return parseIsoMillis(v);
}
