/**
 * Drain's sequence similarity (He et al., ICWS 2017, §3.4): the share of
 * positions where the template holds the same token as the message.
 * Positions the template already generalised (`<*>`, `key=<*>`) do not count
 * as similar, so a template that has absorbed many values must match the
 * rest of a message more closely. Mask placeholders compare like any token.
 * Values no mask names (tokens with digits such as `an142`, ./token-shape.ts
 * isUnmaskedValue) count as similar to another such value and to `<*>`: a
 * line listing a hundred host names is one event however the names differ.
 *
 * On top, a few mismatches veto the match outright, because over-merging two
 * events costs more than splitting a rare shape off:
 * - two differing enum-like constants (`HTTPS` / `SOCKS5`, `NEW` / `RUNNING`);
 * - two adjacent differing positions where at least one pair is two
 *   digit-free constants (`Bye Bye` / `disconnected by`): a value is one
 *   token, a different phrase is a different event (`t761`-like tokens with
 *   digits are treated as values, as Drain does);
 * - the same key with and without a value (`rhost=` / `rhost=<ip>`);
 * - with `strictWords` (the miner's search beyond the tree's leaf, and a
 *   template settled over many lines), any two differing plain words
 *   (`Up` / `Down`).
 */
import { CONSTANT, KEY_WILD, WILD, keyMatch } from './slots.js';
import { emptyValueMismatch, isEnumLike, isPlainWord, isUnmaskedValue, isWord } from './token-shape.js';

export interface Similarity {
  /** In [0, 1], or -1 when a veto applies. */
  score: number;
  /** Generalised positions in the template; the tie-breaker between equally similar templates. */
  wildcards: number;
}

const VETO = -1;

/**
 * Similarity of `tokens` to `template` (same length). `slots` holds the
 * template's slot codes (./slots.ts); `tokenMasked[i]` is 1 where the message
 * holds a placeholder. A score that can no longer reach `floor` stops the
 * comparison early and reads as a veto: a crowded leaf costs less per line.
 */
export function similarity(
  template: readonly string[],
  slots: Uint8Array,
  tokens: readonly string[],
  tokenMasked: Uint8Array,
  strictWords = false,
  floor = 0,
): Similarity {
  let same = 0;
  let wildcards = 0;
  let prevMismatch = false;
  let prevPlain = false;
  const n = template.length;
  // Positions still to come bound the score; the margin keeps a tie with `floor` from stopping early.
  const need = floor * n - 1e-9;
  for (let i = 0; i < n; i++) {
    const slot = slots[i];
    if (slot === WILD) {
      if (tokenMasked[i] === 0 && isUnmaskedValue(tokens[i])) same++;
      wildcards++;
      prevMismatch = false;
      continue;
    }
    const t = template[i];
    const m = tokens[i];
    if (slot === KEY_WILD) {
      const k = keyMatch(t, m);
      if (k === 0) return { score: VETO, wildcards };
      if (k === 1) {
        wildcards++;
        prevMismatch = false;
        continue;
      }
    } else if (t === m) {
      same++;
      prevMismatch = false;
      continue;
    }
    const constants = slot === CONSTANT && tokenMasked[i] === 0;
    if (constants && isUnmaskedValue(t) && isUnmaskedValue(m)) {
      same++;
      prevMismatch = false;
      continue;
    }
    if (same + n - i - 1 < need) return { score: VETO, wildcards };
    if (constants && isEnumLike(t) && isEnumLike(m)) return { score: VETO, wildcards };
    if (strictWords && constants && isPlainWord(t) && isPlainWord(m)) return { score: VETO, wildcards };
    const plain = constants && isWord(t) && isWord(m);
    if (prevMismatch && (plain || prevPlain)) return { score: VETO, wildcards };
    if (emptyValueMismatch(t, m)) return { score: VETO, wildcards };
    prevMismatch = true;
    prevPlain = plain;
  }
  const score = n === 0 ? 1 : same / n;
  return { score: score < floor ? VETO : score, wildcards };
}
