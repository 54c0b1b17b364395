/**
 * Lookout's own Prometheus metrics (exposition format served at /metrics).
 * One registry per running instance, so tests can run several side by side.
 * Uses prom-client (https://github.com/siimon/prom-client); its default
 * process and Node metrics keep their standard names (`process_cpu_seconds_total`,
 * `nodejs_heap_size_used_bytes`, …) so stock dashboards and alerts work.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Distinct values a label fed from log content (service) or a model (anomaly type) may take before new ones become `other`. */
export const MAX_LABEL_VALUES = { service: 1000, type: 200 } as const;

/** Keeps a label's cardinality bounded: the first `max` distinct values pass, later ones read `other`. */
export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}
  value(v: string): string {
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(v);
    return v;
  }
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    recordsReceived: new Counter({ name: 'lookout_records_received_total', help: 'Records accepted into windows.', labelNames: ['source', 'format'] as const, registers: r }),
    recordsRejected: new Counter({ name: 'lookout_records_rejected_total', help: 'Records or requests refused, by reason.', labelNames: ['reason'] as const, registers: r }),
    requestsTotal: new Counter({ name: 'lookout_requests_total', help: 'Requests / Forward messages handled, by source and status.', labelNames: ['source', 'status'] as const, registers: r }),
    recordsAnalyzed: new Counter({ name: 'lookout_records_analyzed_total', help: 'Records in windows that finished analysis.', registers: r }),
    windowsFlushed: new Counter({ name: 'lookout_windows_flushed_total', help: 'Windows closed and handed to analysis.', labelNames: ['reason'] as const, registers: r }),
    windowHealth: new Counter({ name: 'lookout_windows_analyzed_total', help: 'Windows analyzed, by resulting health.', labelNames: ['health'] as const, registers: r }),
    bufferRecords: new Gauge({ name: 'lookout_buffer_records', help: 'Records buffered in open windows and the analysis queue.', registers: r }),
    recordsLate: new Counter({ name: 'lookout_records_late_total', help: 'Records placed away from their own time on the window axis (see README, Time), by direction (late, early).', labelNames: ['direction'] as const, registers: r }),
    clockSkew: new Gauge({ name: 'lookout_stream_clock_skew_seconds', help: 'Per stream: running estimate of arrival time minus the records\' own time.', labelNames: ['stream'] as const, registers: r }),
    bufferBytes: new Gauge({ name: 'lookout_buffer_bytes', help: 'Estimated bytes buffered in open windows and the analysis queue.', registers: r }),
    anomaliesEmitted: new Counter({
      name: 'lookout_anomalies_emitted_total',
      help: `Anomaly records handed to a sink, by sink, severity, service and anomaly type (each of the last two capped at ${MAX_LABEL_VALUES.service} and ${MAX_LABEL_VALUES.type} values, then "other").`,
      labelNames: ['sink', 'severity', 'service', 'type'] as const,
      registers: r,
    }),
    emittedLabels: { service: new BoundedLabel(MAX_LABEL_VALUES.service), type: new BoundedLabel(MAX_LABEL_VALUES.type) },
    analysisDuration: new Histogram({ name: 'lookout_analysis_duration_seconds', help: 'Time to analyze one window.', labelNames: ['analyzer'] as const, buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 15, 60], registers: r }),
    analysisErrors: new Counter({ name: 'lookout_analysis_errors_total', help: 'Windows whose analysis threw; their records still count as analyzed.', labelNames: ['analyzer'] as const, registers: r }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
