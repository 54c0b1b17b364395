/**
 * Quoted strings: `"…"` or `'…'` spans. A one-token value (`'safety'`) and a
 * free-text span of four tokens or more (a user agent, a sentence) are
 * variables: every token of the span becomes one `<str>`, so the line keeps
 * its token count, and the quote characters stay (`'<str>'`). Spans of two or
 * three tokens are usually structured (`"GET /v2/x HTTP/1.1"`) and are left to
 * the per-token masks, which keep the method as part of the template.
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
    const q = first.charCodeAt(0);
    if (!isQuote(q) || first.length < 2) continue;
    let j = i;
    const limit = Math.min(tokens.length, i + MAX_SPAN);
    for (; j < limit; j++) {
      const t = tokens[j];
      const from = j === i ? 1 : 0;
      const close = closingQuote(t, q, from);
      if (close >= 0) break;
    }
    if (j >= limit) continue;
    if (j === i && tokens[i].length === 2) continue;
    if (j > i && j - i + 1 < MIN_FREE_TEXT) {
      i = j;
      continue;
    }
    for (let k = i; k <= j; k++) {
      const t = tokens[k];
      const lead = k === i ? String.fromCharCode(q) : '';
      const close = k === j ? closingQuote(t, q, k === i ? 1 : 0) : -1;
      const tail = k === j ? t.slice(close) : '';
      tokens[k] = lead + PLACEHOLDER.quoted + tail;
      masked[k] = 1;
    }
    any = true;
    i = j;
  }
  return any;
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
