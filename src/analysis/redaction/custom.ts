/**
 * User-defined redaction patterns (`llm.redaction.patterns`), compiled into
 * rules the Redactor applies after the built-in secret and PII families.
 */
import type { CustomPattern } from './config.js';
import type { RedactionRule } from './rule.js';

export function customRules(patterns: readonly CustomPattern[]): RedactionRule[] {
  return patterns.map((p) => {
    const pattern = new RegExp(p.regex, p.ignore_case ? 'gi' : 'g');
    const hasGroup = new RegExp(`${p.regex}|`).exec('')!.length > 1;
    return { kind: p.name.toUpperCase(), pattern, ...(hasGroup ? { secretGroups: [1] } : {}) };
  });
}
