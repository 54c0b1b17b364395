/**
 * Window health and the LLM gate. Health follows the strongest anomaly
 * (critical → critical; high or medium → degraded; low or none → normal).
 * The gate sends a window to the LLM when its score reaches the threshold,
 * and otherwise a `sample_rate` fraction of quiet windows, drawn with an
 * injectable rng so tests and replays are reproducible.
 */
import type { GateDecision } from '../analyzer.js';
import { SEVERITY_RANK, type Anomaly, type WindowHealth } from '../anomaly.js';
import type { DetectorConfig } from './config.js';

export function windowHealth(anomalies: ReadonlyArray<Pick<Anomaly, 'severity'>>): WindowHealth {
  const worst = anomalies.reduce((m, a) => Math.max(m, SEVERITY_RANK[a.severity]), 0);
  if (worst >= SEVERITY_RANK.critical) return 'critical';
  if (worst >= SEVERITY_RANK.medium) return 'degraded';
  return 'normal';
}

export function decideGate(score: number, gate: DetectorConfig['gate'], rng: () => number): GateDecision {
  const { threshold, sample_rate } = gate;
  if (score >= threshold) return { send: true, score, threshold, reason: 'score' };
  if (sample_rate > 0 && rng() < sample_rate) return { send: true, score, threshold, reason: 'sample' };
  return { send: false, score, threshold, reason: 'below' };
}
