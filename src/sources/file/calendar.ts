/**
 * Calendar pieces the line parsers share: English month and weekday
 * abbreviations as log writers print them (C `strftime` `%b`/`%a`, Apache,
 * syslog), and building an epoch-ms time from fields read as UTC, like every
 * zone-less timestamp in Lookout (../timestamp.ts). Pure.
 */

/** `Jan` → 0 … `Dec` → 11. */
export const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** Alternation of the month abbreviations, for regular expressions. */
export const MONTH_NAMES = Object.keys(MONTHS).join('|');

/** Alternation of the weekday abbreviations. */
export const WEEKDAY_NAMES = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';

/**
 * Epoch ms from calendar fields read as UTC, minus `offsetMinutes` (the zone's
 * offset east of UTC); undefined when a field is out of range. `fraction` is
 * the digits after the decimal point, any length.
 */
export function utcMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction = '',
  offsetMinutes = 0,
): number | undefined {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, second);
  if (Number.isNaN(ms)) return undefined;
  return ms + (fraction ? Number(`0.${fraction}`) * 1000 : 0) - offsetMinutes * 60_000;
}

/** `+0200` / `-07:00` → minutes east of UTC; `Z` → 0. */
export function zoneOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}
