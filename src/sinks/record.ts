/**
 * AnomalyRecord: the structured record every sink writes, one per anomaly.
 *
 * Field names follow ECS (https://www.elastic.co/guide/en/ecs/current/) so the
 * record sits next to the logs in Elasticsearch or Loki and searches the same
 * way: `@timestamp`, `message`, `log.level`, `event.kind: "alert"`,
 * `event.severity`, `service.name`, `host.name`, plus Lookout's own `anomaly.*`
 * and `window.*`. `anomaly.id` is a stable hash of (stream, type, window start,
 * main template), so a retried delivery is idempotent downstream.
 * The JSON Schema lives in examples/anomaly-record.schema.json.
 */
import { createHash } from 'node:crypto';
import type { AnalysisResult } from '../analysis/analyzer.js';
import type { Anomaly, Severity, WindowHealth, Detector, AnalysisMode } from '../analysis/anomaly.js';

export interface AnomalyRecord {
  '@timestamp': string;
  message: string;
  log: { level: string };
  event: { kind: 'alert'; severity: number; created: string };
  service: { name: string };
  host: { name: string };
  anomaly: {
    id: string;
    severity: Severity;
    type: string;
    summary: string;
    evidence: string[];
    recommended_action: string;
    score: number;
    detector: Detector;
    analysis: AnalysisMode;
    templates: string[];
    suppressed_count?: number;
  };
  window: { start: string; end: string; lines: number; health: WindowHealth; stream: string };
  labels: Record<string, string>;
}

/** Elastic's default risk scores for its four rule severities, reused so dashboards sort the same way. */
const EVENT_SEVERITY: Record<Severity, number> = { low: 21, medium: 47, high: 73, critical: 99 };
const LOG_LEVEL: Record<Severity, string> = { low: 'info', medium: 'warn', high: 'error', critical: 'critical' };

export function anomalyId(stream: string, type: string, windowStart: number, mainTemplate: string): string {
  return createHash('sha256').update(`${stream}\u0000${type}\u0000${windowStart}\u0000${mainTemplate}`).digest('hex').slice(0, 32);
}

/** The record at another severity (a rule lowered it): level, event severity and message follow. */
export function withSeverity(record: AnomalyRecord, severity: Severity): AnomalyRecord {
  const message = record.message.startsWith(`${record.anomaly.severity} `) ? `${severity} ${record.message.slice(record.anomaly.severity.length + 1)}` : record.message;
  return {
    ...record,
    message,
    log: { ...record.log, level: LOG_LEVEL[severity] },
    event: { ...record.event, severity: EVENT_SEVERITY[severity] },
    anomaly: { ...record.anomaly, severity },
  };
}

export function toAnomalyRecord(
  result: AnalysisResult,
  anomaly: Anomaly,
  labels: Record<string, string> = {},
  now: number = Date.now(),
): AnomalyRecord {
  const w = result.window;
  const mainTemplate = anomaly.templates[0] ?? '';
  return {
    '@timestamp': new Date(w.end).toISOString(),
    message: `${anomaly.severity} ${anomaly.type} in ${w.service} on ${w.host}: ${anomaly.summary}`,
    log: { level: LOG_LEVEL[anomaly.severity] },
    event: { kind: 'alert', severity: EVENT_SEVERITY[anomaly.severity], created: new Date(now).toISOString() },
    service: { name: w.service },
    host: { name: w.host },
    anomaly: {
      id: anomalyId(w.stream, anomaly.type, w.start, mainTemplate),
      severity: anomaly.severity,
      type: anomaly.type,
      summary: anomaly.summary,
      evidence: anomaly.evidence,
      recommended_action: anomaly.recommended_action,
      score: anomaly.score,
      detector: anomaly.detector,
      analysis: anomaly.analysis,
      templates: anomaly.templates,
    },
    window: {
      start: new Date(w.start).toISOString(),
      end: new Date(w.end).toISOString(),
      lines: w.lines,
      health: result.health,
      stream: w.stream,
    },
    labels,
  };
}
