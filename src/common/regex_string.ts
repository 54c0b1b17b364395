/**
 * A zod string that must compile as a case-insensitive JavaScript regular
 * expression, so a bad pattern in configuration or a rules file is refused at
 * start-up with the key that holds it, not when the first line is matched.
 */
import { z } from 'zod';

export function regexString(maxLength = 1000) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .refine(
      (s) => {
        try {
          new RegExp(s, 'i');
          return true;
        } catch {
          return false;
        }
      },
      { message: 'not a valid regular expression' },
    );
}
