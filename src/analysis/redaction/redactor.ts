/**
 * Redactor: replaces secrets and personal data with placeholders before any
 * text leaves the process for a model endpoint.
 *
 * Guarantees: the same value always gets the same placeholder within one
 * Redactor (so a token seen in ten lines stays recognisable as one token),
 * numbered per kind in order of first sight (`<SECRET_1>`, `<EMAIL_2>`), so
 * two identical windows redact to identical text. Values found by a pattern
 * are remembered and also replaced wherever they reappear without their
 * context (a template miner may list `hunter2` apart from `password=`), and so
 * are truncated copies of long values. Placeholders are never mapped back.
 * Memory is bounded by `max_values`; past it values are still redacted.
 * Texts are one stream: a private key whose BEGIN line has no END in the same
 * text (a key logged one line per record) keeps every following text redacted,
 * under the same placeholder, up to and including its END line.
 */
import type { RedactionConfig } from './config.js';
import { customRules } from './custom.js';
import { IP_RULES, PII_RULES } from './pii.js';
import { PLACEHOLDER, type RedactionRule } from './rule.js';
import { PRIVATE_KEY_BEGIN, PRIVATE_KEY_END, SECRET_RULES } from './secrets.js';

const PRIVATE_KEY_END_ALL = new RegExp(PRIVATE_KEY_END.source, 'g');

/** Shorter values are only replaced where a pattern finds them, not literally everywhere. */
const MIN_LITERAL_LENGTH = 6;
/** A long value cut at this many characters or more (truncated log line) is still recognised. */
const TRUNCATED_PREFIX = 12;

interface CompiledRule extends RedactionRule {
  pattern: RegExp;
}

export class Redactor {
  private readonly rules: CompiledRule[];
  private readonly placeholders = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private literal: RegExp | undefined;
  private literalStale = false;
  /** Placeholder of a private key block still open (BEGIN seen, END not yet). */
  private openKey: string | undefined;

  constructor(private readonly cfg: RedactionConfig) {
    const rules = [...SECRET_RULES, ...PII_RULES, ...(cfg.ip_addresses ? IP_RULES : []), ...customRules(cfg.patterns)];
    // `d` gives group offsets, so only the sensitive group is replaced and the context stays.
    this.rules = rules.map((r) => ({ ...r, pattern: new RegExp(r.pattern.source, withFlags(r.pattern.flags, 'gd')) }));
  }

  redact(text: string): string {
    let head = '';
    let rest = text;
    if (this.openKey !== undefined) {
      const end = PRIVATE_KEY_END.exec(text);
      const inside = end ? text.slice(0, end.index + end[0].length) : text;
      // Remembered, so the line is also replaced where it reappears (an example line in the model's view).
      this.remember(inside.trim(), this.openKey);
      if (!end) return this.openKey;
      head = this.openKey;
      rest = text.slice(end.index + end[0].length);
      this.openKey = undefined;
    }
    let out = rest;
    for (const rule of this.rules) out = this.applyRule(out, rule);
    this.openKey = this.unclosedKey(rest);
    return head + this.replaceKnownValues(out);
  }

  /** The placeholder of the key block `text` leaves open (a BEGIN with no END after it), if any. */
  private unclosedKey(text: string): string | undefined {
    let afterLastEnd = 0;
    for (const m of text.matchAll(PRIVATE_KEY_END_ALL)) afterLastEnd = m.index + m[0].length;
    PRIVATE_KEY_BEGIN.lastIndex = afterLastEnd;
    const begin = PRIVATE_KEY_BEGIN.exec(text);
    // The block rule replaced everything from this BEGIN to the end of the text under this value.
    return begin ? this.placeholderFor('PRIVATE_KEY', text.slice(begin.index)) : undefined;
  }

  /** Number of distinct values replaced so far. */
  get size(): number {
    return this.placeholders.size;
  }

  private applyRule(text: string, rule: CompiledRule): string {
    let out = '';
    let last = 0;
    for (const m of text.matchAll(rule.pattern)) {
      const span = sensitiveSpan(m, rule);
      if (!span) continue;
      const [start, end] = span;
      const value = text.slice(start, end);
      if (start < last || PLACEHOLDER.test(value) || (rule.accept && !rule.accept(value))) continue;
      out += text.slice(last, start) + this.placeholderFor(rule.kind, value);
      last = end;
    }
    return last === 0 ? text : out + text.slice(last);
  }

  private placeholderFor(kind: string, value: string): string {
    const known = this.placeholders.get(value);
    if (known) return known;
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    const placeholder = `<${kind}_${n}>`;
    this.remember(value, placeholder);
    return placeholder;
  }

  private remember(value: string, placeholder: string): void {
    if (this.placeholders.size < this.cfg.max_values && !this.placeholders.has(value)) {
      this.placeholders.set(value, placeholder);
      this.literalStale = true;
    }
  }

  private replaceKnownValues(text: string): string {
    const literal = this.literalPattern();
    if (!literal) return text;
    return text.replace(literal, (match: string, full: string | undefined) => {
      const value = full ?? this.longValueStartingWith(match);
      return value ? (this.placeholders.get(value) ?? match) : match;
    });
  }

  private literalPattern(): RegExp | undefined {
    if (!this.literalStale) return this.literal;
    this.literalStale = false;
    const values = [...this.placeholders.keys()].filter((v) => v.length >= MIN_LITERAL_LENGTH).sort((a, b) => b.length - a.length);
    const prefixes = [...new Set(values.filter((v) => v.length > TRUNCATED_PREFIX + 4).map((v) => v.slice(0, TRUNCATED_PREFIX)))];
    const alternatives = [
      values.length ? `(${values.map(escapeRegExp).join('|')})` : '',
      prefixes.length ? `(?:${prefixes.map(escapeRegExp).join('|')})[^\\s"',;]*` : '',
    ].filter(Boolean);
    this.literal = alternatives.length ? new RegExp(alternatives.join('|'), 'g') : undefined;
    return this.literal;
  }

  private longValueStartingWith(fragment: string): string | undefined {
    const prefix = fragment.slice(0, TRUNCATED_PREFIX);
    for (const value of this.placeholders.keys()) if (value.startsWith(prefix)) return value;
    return undefined;
  }
}

function sensitiveSpan(m: RegExpMatchArray, rule: RedactionRule): [number, number] | undefined {
  const indices = m.indices;
  if (!indices || m[0].length === 0) return undefined;
  if (!rule.secretGroups) return indices[0];
  for (const g of rule.secretGroups) if (indices[g]) return indices[g];
  return undefined;
}

function withFlags(flags: string, extra: string): string {
  return [...new Set([...flags, ...extra])].join('');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
