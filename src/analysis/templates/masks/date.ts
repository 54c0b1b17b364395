/**
 * Dates: month and weekday names next to a masked number or clock
 * (`Sat Jun 18 02:08:10 2005`, `12 Mar`), so a date reads the same on every
 * day. A name far from any number (`May I …`) stays a word.
 */
import { WordList } from './chars.js';
import { PLACEHOLDER } from './placeholders.js';

const NAMES = new WordList([
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);

/** How far (in tokens) a name may sit from the number that makes it a date. */
const REACH = 2;

const isName = (t: string): boolean => {
  const c = t.charCodeAt(0);
  if (!(c >= 65 && c <= 90) || t.length < 3 || t.length > 10) return false;
  return NAMES.has(t, 0, t.charCodeAt(t.length - 1) === 44 ? t.length - 1 : t.length);
};

const isDateNumber = (t: string): boolean => t.includes(PLACEHOLDER.num) || t.includes(PLACEHOLDER.duration);

/** Masks date names in place (after the per-token masks ran); `masked[i]` is set for each. */
export function maskDateNames(tokens: string[], masked: Uint8Array): void {
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    if (masked[i] === 1 || !isName(tokens[i])) continue;
    let near = false;
    for (let k = Math.max(0, i - REACH); k <= Math.min(n - 1, i + REACH) && !near; k++) {
      near = k !== i && masked[k] === 1 && isDateNumber(tokens[k]);
    }
    if (!near) continue;
    const t = tokens[i];
    tokens[i] = PLACEHOLDER.date + (t.charCodeAt(t.length - 1) === 44 ? ',' : '');
    masked[i] = 1;
  }
}
