/**
 * Echoed names: in a line with a quoted value, an upper-case word that the
 * line repeats inside a longer value (`hive: SOFTWARE, into registry key
 * '…/config/SOFTWARE'`) names the thing the line is about: a value, not a
 * state of the event. It reads `<name>`, keeping its punctuation, so the six
 * registry hives of one event share one template, while `RUNNING` and
 * `FAILED`, or `LOOKING (n.state) … LOOKING (my state)`, which stand as words
 * of their own, stay constants that tell events apart (../similarity.ts).
 */
import { isEnumLike } from '../token-shape.js';
import { isAlnum } from './chars.js';
import { PLACEHOLDER } from './placeholders.js';

/** Shorter names (`OK`, `ID`) repeat by chance. */
const MIN_NAME = 3;
/** Upper-case tokens looked up per line at most, so a line of them costs linear time. */
const MAX_LOOKUPS = 8;

/** Masks, in place, every unmasked upper-case token whose word `message` also holds inside a longer value. */
export function maskEchoedNames(tokens: string[], masked: Uint8Array, message: string): void {
  let lookups = 0;
  for (let i = 0; i < tokens.length && lookups < MAX_LOOKUPS; i++) {
    if (masked[i] !== 0) continue;
    const t = tokens[i];
    // Most tokens start with a lower-case letter or are capitalised words: no upper-case name.
    const c = t.charCodeAt(0);
    if (isLower(c) || (c >= 65 && c <= 90 && isLower(t.charCodeAt(1)))) continue;
    if (!isEnumLike(t)) continue;
    let s = 0;
    let e = t.length;
    while (s < e && !isAlnum(t.charCodeAt(s))) s++;
    while (e > s && !isAlnum(t.charCodeAt(e - 1))) e--;
    if (e - s < MIN_NAME) continue;
    lookups++;
    if (!embedded(message, t.slice(s, e))) continue;
    tokens[i] = t.slice(0, s) + PLACEHOLDER.name + t.slice(e);
    masked[i] = 1;
  }
}

const isLower = (c: number): boolean => c >= 97 && c <= 122;

/** Whether `name` occurs in `message` as part of a longer value: after a path separator or joined to other word characters. */
function embedded(message: string, name: string): boolean {
  for (let at = message.indexOf(name); at >= 0; at = message.indexOf(name, at + name.length)) {
    const before = at > 0 ? message.charCodeAt(at - 1) : 32;
    const after = at + name.length < message.length ? message.charCodeAt(at + name.length) : 32;
    if (isAlnum(before) || before === 47 || before === 92 || before === 95 || isAlnum(after) || after === 95) return true;
  }
  return false;
}
