/**
 * Anomaly: what analysis finds in a window. The embedded detector and the LLM
 * produce the same shape; the LLM's JSON answer is validated against
 * `LlmAnomalySchema`, and both become `Anomaly` with provenance attached.
 */
import { z } from 'zod';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SeveritySchema = z.enum(SEVERITIES);

export const HEALTHS = ['normal', 'degraded', 'critical'] as const;
export type WindowHealth = (typeof HEALTHS)[number];

/** What an LLM must return per anomaly (strict JSON, see prompt.ts). */
export const LlmAnomalySchema = z
  .object({
    severity: SeveritySchema,
    type: z.string().min(1).max(80),
    summary: z.string().min(1).max(1000),
    evidence: z.array(z.string()).max(20),
    recommended_action: z.string().max(1000),
  })
  .strict();
export type LlmAnomaly = z.infer<typeof LlmAnomalySchema>;

export type Detector = 'embedded' | 'llm' | 'both';
/** `full`: every analyzer that should have run did; `degraded`: the LLM was wanted but unavailable. */
export type AnalysisMode = 'full' | 'degraded';

export interface Anomaly extends LlmAnomaly {
  /** 0..1, higher is more anomalous. */
  score: number;
  /** Template ids involved (embedded detector); the first is the main template. */
  templates: string[];
  detector: Detector;
  analysis: AnalysisMode;
}

export const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };
