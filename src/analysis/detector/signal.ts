/**
 * What every signal function reads and returns: the window grouped by
 * template (built once per window by `summarizeWindow`), and a Signal — an
 * Anomaly without provenance, since the analyzer adds `detector`/`analysis`.
 *
 * Scores live in one band per severity (low 0.2–0.4, medium 0.4–0.6,
 * high 0.6–0.8, critical 0.8–1.0) so the gate threshold reads as a severity.
 */
import type { Level } from '../../sources/record.js';
import type { Window } from '../../windows/window.js';
import type { Anomaly, Severity } from '../anomaly.js';
import type { DetectorConfig } from './config.js';
import type { StreamState } from './stream_state.js';

export type Signal = Omit<Anomaly, 'detector' | 'analysis'> & {
  /** Actors the finding is about (`ip 203.0.113.9`), for folding repeats (fold.ts); not part of the anomaly. */
  subjects?: string[];
};

export const MAX_EVIDENCE = 5;

const LEVEL_RANK: Record<Level, number> = {
  trace: 0, debug: 1, unknown: 2, info: 2, notice: 2, warn: 3, error: 4, critical: 5, fatal: 6,
};

export function levelRank(level: Level): number {
  return LEVEL_RANK[level];
}

export function isErrorLevel(level: Level): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK.error;
}

export function isFatalLevel(level: Level): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK.critical;
}

/** How bad a line shape is on its own, from the worst level it was logged at. */
export function severityForLevel(level: Level): Severity {
  if (isFatalLevel(level)) return 'critical';
  if (isErrorLevel(level)) return 'high';
  if (level === 'warn') return 'medium';
  return 'low';
}

const BANDS: Record<Severity, number> = { low: 0.2, medium: 0.4, high: 0.6, critical: 0.8 };

/** Score within the severity's band; `strength` 0..1 places it inside the band. */
export function bandScore(severity: Severity, strength: number): number {
  const s = Math.min(1, Math.max(0, Number.isFinite(strength) ? strength : 1));
  return Math.round((BANDS[severity] + 0.199 * s) * 1000) / 1000;
}

export interface WindowTemplate {
  id: string;
  template: string;
  count: number;
  first: number;
  last: number;
  /** Worst level any of its lines had. */
  level: Level;
  /** Distinct messages, in window order, up to MAX_EVIDENCE. */
  lines: string[];
}

export interface WindowSummary {
  window: Window;
  /** Count descending, then id: a stable order. */
  templates: WindowTemplate[];
  byId: Map<string, WindowTemplate>;
  total: number;
  /** Error-or-worse lines. */
  errors: number;
  /** Critical-or-fatal lines. */
  fatal: number;
  levels: Partial<Record<Level, number>>;
  /** Latest record time on the stream's window axis (README "Time"), epoch ms. */
  arrival: number;
  /** Template id of each record, aligned with window.records. */
  recordTemplates: string[];
  /** Each record's message as the miner tokenized it, aligned with window.records. */
  recordTokens: Array<readonly string[]>;
}

export interface SignalContext {
  summary: WindowSummary;
  /** The stream's baselines before this window is folded in. */
  state: StreamState;
  cfg: DetectorConfig;
  /** A template's current text by id (also for templates absent from the window), so no finding names a bare id. */
  text: (id: string) => string;
}

/** Fills `{service}`, `{host}` and `{stream}` in an action text. */
export function fillAction(text: string, state: Pick<StreamState, 'service' | 'host' | 'stream'>): string {
  return text.replaceAll('{service}', state.service).replaceAll('{host}', state.host).replaceAll('{stream}', state.stream);
}

/** Distinct lines from several templates, worst level first, capped. */
export function evidenceFrom(templates: WindowTemplate[]): string[] {
  return interleave([...templates].sort((a, b) => levelRank(b.level) - levelRank(a.level)).map((t) => t.lines));
}

/** Up to MAX_EVIDENCE distinct lines, one from each group in turn, so every group is shown before any gets a second line. */
export function interleave(groups: string[][]): string[] {
  const out: string[] = [];
  for (let round = 0; out.length < MAX_EVIDENCE && round < MAX_EVIDENCE; round++) {
    for (const g of groups) {
      const line = g[round];
      if (line !== undefined && !out.includes(line)) out.push(line);
      if (out.length >= MAX_EVIDENCE) break;
    }
  }
  return out;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function shorten(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "about 2.4 usually", never "about 0.0": a rate below one per span reads as how many spans one takes. */
export function aboutUsual(perSpan: number): string {
  if (perSpan >= 0.95) return `about ${perSpan.toFixed(1)} usually`;
  if (perSpan <= 0) return 'none usually';
  return `about one every ${Math.round(1 / perSpan)} spans usually`;
}

/** Worst of the severities, but at least `floor`. */
export function worstSeverity(severities: Severity[], floor: Severity): Severity {
  return severities.reduce((a, b) => (BANDS[b] > BANDS[a] ? b : a), floor);
}
