/**
 * Grounding: the model's answer is only trusted as far as the window backs it.
 * Each evidence string must be found among the window's (redacted) lines:
 * verbatim, as a template (`<*>`, `<num>` … slots) matching a whole line, as a
 * part of a line (at least MIN_FRAGMENT characters), or wrapping a line (the
 * model added a timestamp or count). What is kept is the real line, never the
 * model's text. An anomaly whose evidence was all invented is dropped; one
 * that quoted nothing is kept at severity `low`. The line count the model
 * claims is clamped to the window's. Pure functions.
 */
import { SEVERITY_RANK, type LlmAnomaly, type WindowHealth } from '../anomaly.js';
import type { LlmAnswer } from './schema.js';

/** The miner's slots as the view shows them: `<*>` and masks like `<num>`, `<ip>` (redaction placeholders are upper case). */
const TEMPLATE_SLOTS = /<\*>|<[a-z]+>/g;
const TEMPLATE_SLOT = /<\*>|<[a-z]+>/;
/** Shorter fragments ("error", "failed") match too many lines to prove anything. */
const MIN_FRAGMENT = 12;
const MAX_PREFIX_TOKENS = 6;
const MAX_EVIDENCE = 20;

export interface GroundedAnomaly extends LlmAnomaly {
  /** Indices into the window's records of the lines the evidence is. */
  lines: number[];
}

export interface GroundedAnswer {
  anomalies: GroundedAnomaly[];
  windowHealth: WindowHealth;
  totalLinesAnalyzed: number;
  /** What was taken away, for metrics and logs. */
  evidenceRemoved: number;
  anomaliesDropped: number;
  anomaliesDowngraded: number;
}

export function groundAnswer(answer: LlmAnswer, lines: readonly string[], maxAnomalies: number): GroundedAnswer {
  const index = new LineIndex(lines);
  let evidenceRemoved = 0;
  let anomaliesDropped = 0;
  let anomaliesDowngraded = 0;
  const kept: GroundedAnomaly[] = [];
  for (const anomaly of answer.anomalies) {
    const found: number[] = [];
    for (const evidence of anomaly.evidence) {
      const line = index.find(evidence);
      if (line === undefined) evidenceRemoved++;
      else if (!found.includes(line)) found.push(line);
    }
    if (found.length === 0 && anomaly.evidence.length > 0) {
      anomaliesDropped++;
      continue;
    }
    const lineNumbers = found.slice(0, MAX_EVIDENCE);
    const grounded: GroundedAnomaly = { ...anomaly, evidence: lineNumbers.map((i) => lines[i]), lines: lineNumbers };
    if (lineNumbers.length === 0 && anomaly.severity !== 'low') {
      grounded.severity = 'low';
      anomaliesDowngraded++;
    }
    kept.push(grounded);
  }
  // Past the cap the most severe stay: a flood of findings is cut from the bottom.
  const capped = [...kept].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]).slice(0, maxAnomalies);
  return {
    anomalies: capped,
    windowHealth: answer.window_health,
    totalLinesAnalyzed: Math.min(Math.max(0, answer.total_lines_analyzed), lines.length),
    evidenceRemoved,
    anomaliesDropped: anomaliesDropped + (kept.length - capped.length),
    anomaliesDowngraded,
  };
}

/** Finds which window line a quoted evidence string is. */
export class LineIndex {
  private readonly normalized: string[];
  private readonly exact = new Map<string, number>();

  constructor(lines: readonly string[]) {
    this.normalized = lines.map(normalize);
    this.normalized.forEach((line, i) => {
      if (!this.exact.has(line)) this.exact.set(line, i);
    });
  }

  find(evidence: string): number | undefined {
    const quoted = normalizeQuote(evidence);
    if (quoted === '') return undefined;
    // Quotes of the view often keep its row prefix (`- t3f2a x8 12:00:01-12:00:09: …`); drop leading tokens until a line or template fits.
    const tokens = quoted.split(' ');
    for (let k = 0; k <= Math.min(MAX_PREFIX_TOKENS, tokens.length - 1); k++) {
      const i = this.whole(tokens.slice(k).join(' '));
      if (i !== undefined) return i;
    }
    if (quoted.length >= MIN_FRAGMENT) {
      const i = this.normalized.findIndex((line) => line.includes(quoted));
      if (i >= 0) return i;
    }
    const i = this.normalized.findIndex((line) => line.length >= MIN_FRAGMENT && quoted.includes(line));
    return i >= 0 ? i : undefined;
  }

  /** A line equal to `quoted`, or matching it read as a template. */
  private whole(quoted: string): number | undefined {
    const exact = this.exact.get(quoted);
    if (exact !== undefined) return exact;
    if (!TEMPLATE_SLOT.test(quoted) || quoted.replace(TEMPLATE_SLOTS, '').trim().length < MIN_FRAGMENT) return undefined;
    const template = new RegExp(`^${quoted.split(TEMPLATE_SLOTS).map(escapeRegExp).join('.*?')}$`);
    const i = this.normalized.findIndex((line) => template.test(line));
    return i >= 0 ? i : undefined;
  }
}

function normalize(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Models often keep the view's `  > ` example marker or a list bullet when quoting. */
function normalizeQuote(s: string): string {
  return normalize(s).replace(/^(?:>|-|\*)\s+/, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
