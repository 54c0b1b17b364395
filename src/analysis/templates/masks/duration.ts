/**
 * Durations: a number with a time unit (`12ms`, `3.5s`, `1h`), a unit word
 * right after a number token (`<1 sec`), and clock-style spans
 * (`00:02`, `18:01:47,978`, `02:13:10.5`).
 */
import { WordList, isDigit } from './chars.js';

const UNITS = new WordList([
  'ns', 'us', 'µs', 'ms', 's', 'sec', 'secs', 'second', 'seconds', 'm', 'min', 'mins', 'minute', 'minutes',
  'h', 'hr', 'hrs', 'hour', 'hours', 'd', 'day', 'days',
]);

export function isDurationUnit(s: string, start: number, end: number): boolean {
  return UNITS.has(s, start, end);
}

/** End of a clock span `H:MM[:SS][.frac|,frac]` starting at digit `i`, or -1. */
export function scanClock(s: string, i: number, end: number): number {
  const start = i;
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  if (i - start < 1 || i - start > 2) return -1;
  let groups = 0;
  while (i + 2 < end && s.charCodeAt(i) === 58 /* : */ && isDigit(s.charCodeAt(i + 1)) && isDigit(s.charCodeAt(i + 2))) {
    i += 3;
    groups++;
    if (groups === 3) break;
  }
  if (groups === 0 || (i < end && isDigit(s.charCodeAt(i)))) return -1;
  const sep = i < end ? s.charCodeAt(i) : 0;
  if ((sep === 46 || sep === 44) && i + 1 < end && isDigit(s.charCodeAt(i + 1))) {
    i++;
    while (i < end && isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}
