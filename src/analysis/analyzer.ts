/**
 * Analyzer: the interface between windows and analysis. One call per closed
 * window; implementations must not throw for bad log content (only for bugs),
 * and must not keep references to the window's records after they resolve.
 * One that hands the records elsewhere (a shard worker) may empty
 * `window.records` once it has them; `window.lines` keeps their count.
 */
import type { Window } from '../windows/window.js';
import type { Anomaly, WindowHealth } from './anomaly.js';

export interface GateDecision {
  /** Whether this window should go to the LLM. */
  send: boolean;
  score: number;
  threshold: number;
  /** `score`: at or above the threshold; `sample`: a quiet window drawn for drift; `below`: not sent. */
  reason: 'score' | 'sample' | 'below';
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  cached: boolean;
}

export interface AnalysisResult {
  window: Window;
  health: WindowHealth;
  /** Strongest anomaly score in the window, 0..1. */
  score: number;
  anomalies: Anomaly[];
  /** Name of the analyzer that produced this result, for logs and metrics. */
  analyzer: string;
  gate?: GateDecision;
  /** Compressed, LLM-ready text view of the window (templates, counts, examples, signals), when the analyzer built one. */
  view?: string;
  llm?: LlmUsage;
}

export interface Analyzer {
  readonly name: string;
  /** Reads records' `fields` (none of Lookout's own analyzers does): only then does the windower keep them. */
  readonly readsFields?: boolean;
  /**
   * Called once when a window joins the analysis queue, before `analyze`. An
   * analyzer that hands windows elsewhere may pack them now, so a window
   * waiting its turn holds no record objects on the heap.
   */
  queued?(window: Window): void;
  analyze(window: Window): Promise<AnalysisResult>;
  /** Persist learned state (templates, baselines) if the analyzer has any. */
  close?(): Promise<void>;
  /** Shutdown: stop waiting on remote work (model calls); windows pending or to come finish on local analysis alone. */
  abortPending?(): void;
}
