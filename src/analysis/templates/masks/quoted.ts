/**
 * Quoted strings: `"…"` or `'…'` spans. A one-token value (`'safety'`) and a
 * free-text span of four tokens or more (a user agent, a sentence) are
 * variables: every token of the span becomes one `<str>`, so the line keeps
 * its token count, and the quote characters stay (`'<str>'`). Spans of two or
 * three tokens are usually structured (`"GET /v2/x HTTP/1.1"`) and are left to
 * the per-token masks, which keep the method as part of the template. A span
 * opened right after `key=` (`tag="View Lock",`) is that key's value whatever
 * its length: `tag="<str> <str>",`. So is a quoted value of a JSON member
 * (`"user":"dilan85",`, a token of compact JSON, see ../tokenize.ts), its key
 * kept. Except under the keys structured loggers write what happened under
 * (logfmt's `msg="request served"`, as Go's slog, logrus and zap write it;
 * `message`, `event`, `level`, `severity`): that text is what tells one event
 * from another, so it is left to the per-token masks like any words.
 */
import { PLACEHOLDER } from './placeholders.js';

const MAX_SPAN = 32;
/** Quoted spans of 2..MIN_FREE_TEXT-1 tokens are left to the per-token masks. */
const MIN_FREE_TEXT = 4;

const isQuote = (c: number): boolean => c === 34 || c === 39;

/**
 * Masks quoted spans in place. `masked[i]` is set for every token touched.
 * Returns whether anything was masked.
 */
export function maskQuoted(tokens: string[], masked: Uint8Array): boolean {
  let any = false;
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i];
    const open = keyedQuote(first);
    const q = first.charCodeAt(open);
    if (!isQuote(q) || first.length < open + 2) continue;
    let j = i;
    const limit = Math.min(tokens.length, i + MAX_SPAN);
    for (; j < limit; j++) {
      const close = closingQuote(tokens[j], q, j === i ? open + 1 : 0);
      if (close >= 0) break;
    }
    if (j >= limit) continue;
    if (j === i && closingQuote(first, q, open + 1) === open + 1) continue;
    if (open === 0 && j > i && j - i + 1 < MIN_FREE_TEXT) {
      i = j;
      continue;
    }
    for (let k = i; k <= j; k++) {
      const t = tokens[k];
      const lead = k === i ? t.slice(0, open + 1) : '';
      const close = k === j ? closingQuote(t, q, k === i ? open + 1 : 0) : -1;
      const tail = k === j ? t.slice(close) : '';
      tokens[k] = lead + PLACEHOLDER.quoted + tail;
      masked[k] = 1;
    }
    any = true;
    i = j;
  }
  return any;
}

/** Keys whose quoted value says what happened, not a variable (compared lower-cased). */
const EVENT_KEYS = new Set(['msg', 'message', 'event', 'level', 'severity']);

const isEventKey = (key: string): boolean => key.length <= 8 && EVENT_KEYS.has(key.toLowerCase());

/**
 * Where a quoted value opens in `t`: 0 for a token that opens with a quote, or
 * just after a `key=` of word characters or a JSON member's `"key":` (after an
 * opening `{`); -1 when none of these, or when the key is an event key.
 */
function keyedQuote(t: string): number {
  const member = jsonMemberValue(t);
  if (member >= 0) return isQuote(t.charCodeAt(member)) && !isEventKey(t.slice(t.charCodeAt(0) === 123 ? 2 : 1, member - 2)) ? member : -1;
  if (isQuote(t.charCodeAt(0))) return 0;
  const eq = t.indexOf('=');
  if (eq <= 0 || !isQuote(t.charCodeAt(eq + 1))) return -1;
  if (isEventKey(t.slice(0, eq))) return -1;
  for (let i = 0; i < eq; i++) {
    const c = t.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46)) return -1;
  }
  return eq + 1;
}

/** Index of the value in a JSON member token (`"key":value`, `{"key":value`), or -1 when `t` is not one. */
function jsonMemberValue(t: string): number {
  const open = t.charCodeAt(0) === 123 ? 1 : 0;
  if (t.charCodeAt(open) !== 34) return -1;
  const close = t.indexOf('"', open + 1);
  return close > open && t.charCodeAt(close + 1) === 58 ? close + 2 : -1;
}

/** Index of the closing quote in `t` (a quote followed only by punctuation), or -1. */
function closingQuote(t: string, q: number, from: number): number {
  for (let i = t.length - 1; i >= from; i--) {
    const c = t.charCodeAt(i);
    if (c === q) return i;
    if (c !== 44 && c !== 46 && c !== 59 && c !== 58 && c !== 41 && c !== 93 && c !== 125) return -1;
  }
  return -1;
}
