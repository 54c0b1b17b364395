/**
 * Template ids: `t` + 12 hex digits, a 48-bit FNV-1a hash of the template a
 * cluster was created with (http://www.isthe.com/chongo/tech/comp/fnv/).
 * The same first line yields the same id on every instance and after an
 * eviction, so ids in anomaly records stay comparable across restarts.
 * `salt` resolves the rare collision with a live id.
 */

export function templateId(tokens: readonly string[], salt = 0): string {
  let a = 0x811c9dc5 ^ salt;
  let b = 0x050c5d1f ^ Math.imul(salt, 0x9e3779b1);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193);
    }
    a = Math.imul(a ^ 32, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x01000193);
  }
  return 't' + (a >>> 0).toString(16).padStart(8, '0') + ((b >>> 0) & 0xffff).toString(16).padStart(4, '0');
}
