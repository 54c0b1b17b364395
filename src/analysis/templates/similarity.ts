/**
 * Drain's sequence similarity (He et al., ICWS 2017, §3.4): the share of
 * positions where the template holds the same constant token as the message.
 * Positions the template already generalised to `<*>` do not count as
 * similar, so a template that has absorbed many values must match the rest
 * of a message more closely. Mask placeholders are compared like any token:
 * `<ip>` matches `<ip>`.
 */
import { WILDCARD } from './masks/placeholders.js';

export interface Similarity {
  score: number;
  /** Wildcard positions in the template; the tie-breaker between equally similar templates. */
  wildcards: number;
}

/** Similarity of `tokens` to `template` (same length), in [0, 1]. */
export function similarity(template: readonly string[], tokens: readonly string[]): Similarity {
  let same = 0;
  let wildcards = 0;
  const n = template.length;
  for (let i = 0; i < n; i++) {
    const t = template[i];
    if (t === WILDCARD) wildcards++;
    else if (t === tokens[i]) same++;
  }
  return { score: n === 0 ? 1 : same / n, wildcards };
}
