/**
 * What each position of a template holds. A template keeps one code per
 * token so matching compares small integers instead of re-reading strings.
 */
import { WILDCARD } from './masks/placeholders.js';

/** A constant token: part of the event text. */
export const CONSTANT = 0;
/** A token holding a mask placeholder (`<num>`, `blk_<num>`), identical across the template's lines. */
export const MASKED = 1;
/** `<*>`: the miner saw different values here. */
export const WILD = 2;
/** `key=<*>`: different values under one key; the key stays part of the template. */
export const KEY_WILD = 3;

/** The `key=` prefix two differing tokens share when both carry a non-empty value under the same key. */
export function sharedKey(a: string, b: string): string | undefined {
  const ea = a.indexOf('=');
  if (ea <= 0 || ea === a.length - 1 || b.length <= ea + 1 || b.charCodeAt(ea) !== 61) return undefined;
  for (let i = 0; i < ea; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return undefined;
  return a.slice(0, ea + 1);
}

/** Whether `token` starts with the key of the `key=<*>` template token `template`; -1 no, 0 empty value, 1 value. */
export function keyMatch(template: string, token: string): -1 | 0 | 1 {
  const p = template.length - WILDCARD.length;
  if (token.length < p) return -1;
  for (let i = 0; i < p; i++) if (template.charCodeAt(i) !== token.charCodeAt(i)) return -1;
  return token.length === p ? 0 : 1;
}

/** Slot code of a saved template token (state files keep only which positions are variable). */
export function slotOf(token: string, variable: boolean): number {
  if (!variable) return CONSTANT;
  if (token === WILDCARD) return WILD;
  if (token.endsWith('=' + WILDCARD) && token.indexOf('=') === token.length - WILDCARD.length - 1) return KEY_WILD;
  return MASKED;
}
