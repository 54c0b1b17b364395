/**
 * Token shapes the matcher treats as part of an event's identity rather than
 * as values: enum-like constants (`HTTPS`, `LOOKING`, `SUCCESS_CONTAINER_CLEANUP`)
 * and the key of a `key=value` token. Mismatches between such tokens veto a
 * match (see similarity.ts), because splitting a rare shape off costs less
 * than merging two events into one template.
 */

/** Upper-case letters, digits and `_` only (punctuation around it aside), with at least two letters. */
export function isEnumLike(t: string): boolean {
  let s = 0;
  let e = t.length;
  while (s < e && !isWordChar(t.charCodeAt(s))) s++;
  while (e > s && !isWordChar(t.charCodeAt(e - 1))) e--;
  let letters = 0;
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) letters++;
    else if (!(c >= 48 && c <= 57) && c !== 95) return false;
  }
  return letters >= 2;
}

/** A constant without digits: Drain's heuristic reads digit-bearing tokens as values. */
export function isWord(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) return false;
  }
  return true;
}

/**
 * A token with digits that is not an enum-like constant (`an142`, `t761`,
 * `node-17`): a value no mask names, read as one by Drain's heuristic.
 * `IPV6` or `CPU0` stay constants.
 */
export function isUnmaskedValue(t: string): boolean {
  return !isWord(t) && !isEnumLike(t);
}

/**
 * Whether two differing tokens are `key=value` with the same key where one
 * value is empty: `rhost=` (no value) and `rhost=10.0.0.1` are different shapes.
 */
export function emptyValueMismatch(a: string, b: string): boolean {
  const ea = a.indexOf('=');
  if (ea <= 0) return false;
  const eb = b.indexOf('=');
  if (eb !== ea || a.charCodeAt(ea - 1) !== b.charCodeAt(ea - 1) || a.slice(0, ea) !== b.slice(0, eb)) return false;
  return (ea === a.length - 1) !== (eb === b.length - 1);
}

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Letters (and inner hyphens) only once surrounding punctuation is set aside
 * (`failures;`, `(Unspecified).`, `Inode-cache`): a word of the event's text,
 * not a value such as a dotted name or an identifier with digits.
 */
export function isPlainWord(t: string): boolean {
  let s = 0;
  let e = t.length;
  while (s < e && !isWordChar(t.charCodeAt(s))) s++;
  while (e > s && !isWordChar(t.charCodeAt(e - 1))) e--;
  if (s === e) return false;
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45)) return false;
  }
  return true;
}
