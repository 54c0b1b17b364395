/**
 * RedactionRule: one pattern family the Redactor applies. A rule finds a
 * match and names the part of it that is sensitive (`secretGroups`), so
 * context such as `password=` or `Bearer ` stays readable for the model and
 * only the value becomes a placeholder.
 */

export interface RedactionRule {
  /** Placeholder kind, e.g. `SECRET` -> `<SECRET_1>`. Upper case letters and `_` only. */
  kind: string;
  /** Must carry the `g` flag. */
  pattern: RegExp;
  /** Capture groups that may hold the sensitive value (the first one that matched wins); the whole match when absent. */
  secretGroups?: readonly number[];
  /** Extra test on the value (e.g. the Luhn check); the match is left alone when it returns false. */
  accept?: (value: string) => boolean;
}

/** Placeholders the Redactor writes; rules skip values that already are one. */
export const PLACEHOLDER = /^<[A-Z][A-Z_]*_\d+>$/;
