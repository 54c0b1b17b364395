/**
 * Luhn (mod 10) check, the checksum every payment card number carries
 * (ISO/IEC 7812-1, https://en.wikipedia.org/wiki/Luhn_algorithm). Used to tell
 * card numbers from other long digit runs (ids, counters) before redacting.
 */

/** True when `digits` (0-9 only) passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
