/**
 * Timestamp layouts in strptime notation, the one Fluent Bit parsers
 * (`Time_Format %d/%b/%Y:%H:%M:%S %z`, https://docs.fluentbit.io/manual/pipeline/parsers/configuring-parser)
 * and Vector's `parse_timestamp` (https://vector.dev/docs/reference/vrl/functions/#parse_timestamp)
 * use, so a layout can be copied from an existing pipeline. Written here
 * rather than taken from a date library because those use Moment/Unicode
 * tokens (`yyyy-MM-dd`) and the local zone; this reads UTC unless `%z`.
 *
 * Directives: %Y %y %m %d %e %H %I %p %M %S (like glibc's strptime, one or
 * two digits) %L and %f (fractional seconds, 1–9 digits, as Fluent Bit's %L) %b %B %h %a %A %j %z (±hhmm, ±hh:mm, Z) %s (epoch seconds,
 * may carry a fraction) %T (%H:%M:%S) %F (%Y-%m-%d) %%; any other character
 * matches itself. compileLayout throws LayoutError for an unknown directive.
 */
import { MONTHS, utcMillis, zoneOffsetMinutes } from './calendar.js';

export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

export type TimestampParser = (text: string) => number | undefined;

type Field = 'Y' | 'y' | 'm' | 'd' | 'H' | 'I' | 'p' | 'M' | 'S' | 'f' | 'b' | 'j' | 'z' | 's' | 'skip';

const MONTH_WORD = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DAY_WORD = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';

const DIRECTIVES: Record<string, [string, Field]> = {
  Y: [String.raw`(\d{4})`, 'Y'],
  y: [String.raw`(\d{2})`, 'y'],
  m: [String.raw`(\d{1,2})`, 'm'],
  d: [String.raw`(\d{1,2})`, 'd'],
  e: [String.raw`\s?(\d{1,2})`, 'd'],
  H: [String.raw`(\d{1,2})`, 'H'],
  I: [String.raw`(\d{1,2})`, 'I'],
  p: ['(AM|PM|am|pm)', 'p'],
  M: [String.raw`(\d{1,2})`, 'M'],
  S: [String.raw`(\d{1,2})`, 'S'],
  L: [String.raw`(\d{1,9})`, 'f'],
  f: [String.raw`(\d{1,9})`, 'f'],
  b: [MONTH_WORD, 'b'],
  B: [MONTH_WORD, 'b'],
  h: [MONTH_WORD, 'b'],
  a: [`(${DAY_WORD})`, 'skip'],
  A: [`(${DAY_WORD})`, 'skip'],
  j: [String.raw`(\d{3})`, 'j'],
  z: [String.raw`(Z|[+-]\d{2}:?\d{2})`, 'z'],
  s: [String.raw`(\d+(?:\.\d+)?)`, 's'],
};
const EXPANSIONS: Record<string, string> = { T: '%H:%M:%S', F: '%Y-%m-%d' };

export function compileLayout(layout: string): TimestampParser {
  let expanded = layout;
  for (const [k, v] of Object.entries(EXPANSIONS)) expanded = expanded.replaceAll(`%${k}`, v);
  let source = '';
  const fields: Field[] = [];
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i];
    if (c !== '%') {
      source += /\s/.test(c) ? String.raw`\s+` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const d = expanded[++i];
    if (d === '%') {
      source += '%';
      continue;
    }
    const directive = d === undefined ? undefined : DIRECTIVES[d];
    if (!directive) throw new LayoutError(`unknown directive %${d ?? ''} at offset ${i - 1} of "${layout}"`);
    source += directive[0];
    fields.push(directive[1]);
  }
  if (!fields.some((f) => f === 's' || f === 'Y' || f === 'y' || f === 'H')) {
    throw new LayoutError(`"${layout}" has neither a date (%Y, %y, %s) nor a time (%H)`);
  }
  const re = new RegExp(`^${source}$`);
  return (text) => {
    const m = re.exec(text.trim());
    if (!m) return undefined;
    const v: Partial<Record<Field, string>> = {};
    fields.forEach((f, k) => (v[f] = m[k + 1]));
    if (v.s !== undefined) return Number(v.s) * 1000;
    const year = v.Y !== undefined ? +v.Y : v.y !== undefined ? 2000 + +v.y : 1970;
    let month = v.m !== undefined ? +v.m - 1 : v.b !== undefined ? MONTHS[v.b.slice(0, 3)] : 0;
    let day = v.d !== undefined ? +v.d : 1;
    if (v.j !== undefined) {
      const date = new Date(Date.UTC(year, 0, +v.j));
      month = date.getUTCMonth();
      day = date.getUTCDate();
    }
    let hour = v.H !== undefined ? +v.H : v.I !== undefined ? +v.I % 12 : 0;
    if (v.p !== undefined && v.p.toUpperCase() === 'PM') hour += 12;
    return utcMillis(year, month, day, hour, +(v.M ?? 0), +(v.S ?? 0), v.f ?? '', v.z ? zoneOffsetMinutes(v.z) : 0);
  };
}
