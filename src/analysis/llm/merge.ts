/**
 * Merge: one record per real problem. An LLM anomaly that shares an evidence
 * line with a detector anomaly, or names the same type, is folded into it
 * (`detector: both`): the detector's type, templates and score stay, so the
 * record's id is the same whether or not the model ran; the model adds its
 * summary, recommended action and any further evidence lines, and may raise
 * the severity. Everything else the model found becomes `detector: llm`, its
 * severity capped at `llm_only_max_severity`; model-only findings that
 * share lines or type are folded together too. Detector anomalies are never
 * removed: a model that was told (or tricked) to report nothing cannot
 * silence them. Pure function.
 */
import { SEVERITY_RANK, type Anomaly, type Severity } from '../anomaly.js';
import { LineIndex, type GroundedAnomaly } from './grounding.js';

const MAX_EVIDENCE = 20;
/** Score of a model-only finding, which has no statistical score of its own. */
const SEVERITY_SCORE: Record<Severity, number> = { low: 0.3, medium: 0.5, high: 0.7, critical: 0.9 };

export interface MergeContext {
  /** The window's raw lines, to place the detector's evidence. */
  rawLines: readonly string[];
  llmOnlyMaxSeverity: Severity;
}

interface Slot {
  anomaly: Anomaly;
  lines: Set<number>;
  /** Whether the model already supplied the summary. */
  explained: boolean;
}

export function mergeAnomalies(detected: readonly Anomaly[], llm: readonly GroundedAnomaly[], ctx: MergeContext): Anomaly[] {
  const index = new LineIndex(ctx.rawLines);
  const slots: Slot[] = detected.map((anomaly) => ({
    anomaly: { ...anomaly, analysis: 'full' },
    lines: new Set(anomaly.evidence.map((e) => index.find(e)).filter((i): i is number => i !== undefined)),
    explained: false,
  }));
  for (const found of llm) {
    const match = bestMatch(slots, found);
    if (match) fold(match, found, ctx.llmOnlyMaxSeverity);
    else slots.push({ anomaly: llmOnly(found, ctx.llmOnlyMaxSeverity), lines: new Set(found.lines), explained: true });
  }
  return slots.map((s) => s.anomaly);
}

function bestMatch(slots: Slot[], found: GroundedAnomaly): Slot | undefined {
  let best: Slot | undefined;
  let bestOverlap = 0;
  for (const slot of slots) {
    const overlap = found.lines.filter((i) => slot.lines.has(i)).length;
    if (overlap > bestOverlap) {
      best = slot;
      bestOverlap = overlap;
    }
  }
  return best ?? slots.find((s) => sameType(s.anomaly.type, found.type));
}

function fold(slot: Slot, found: GroundedAnomaly, cap: Severity): void {
  const a = slot.anomaly;
  if (a.detector === 'llm') {
    // Two model findings agreeing is still no detector agreement: the cap holds.
    a.severity = maxSeverity(a.severity, minSeverity(found.severity, cap));
    a.score = SEVERITY_SCORE[a.severity];
  } else {
    a.detector = 'both';
    a.severity = maxSeverity(a.severity, found.severity);
  }
  if (!slot.explained) {
    a.summary = found.summary;
    if (found.recommended_action.trim()) a.recommended_action = found.recommended_action;
    slot.explained = true;
  }
  const evidence = [...a.evidence];
  found.lines.forEach((line, k) => {
    if (!slot.lines.has(line) && evidence.length < MAX_EVIDENCE) {
      slot.lines.add(line);
      evidence.push(found.evidence[k]);
    }
  });
  a.evidence = evidence;
}

function llmOnly(found: GroundedAnomaly, cap: Severity): Anomaly {
  const { lines: _lines, ...answer } = found;
  const severity = minSeverity(answer.severity, cap);
  return { ...answer, evidence: [...answer.evidence], severity, score: SEVERITY_SCORE[severity], templates: [], detector: 'llm', analysis: 'full' };
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

function minSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[b] < SEVERITY_RANK[a] ? b : a;
}

function sameType(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return norm(a) === norm(b);
}
