/**
 * Per-sink delivery metrics (prom-client), registered on the instance's
 * registry from createMetrics(). Get-or-create, so several sink sets (tests,
 * reloads) can share one registry without duplicate-registration errors.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  return (registry.getSingleMetric(name) as Gauge<L> | undefined) ?? new Gauge({ name, help, labelNames, registers: [registry] });
}

export function createSinkMetrics(registry: Registry) {
  return {
    sent: counter(registry, 'lookout_sink_records_sent_total', 'Anomaly records a sink delivered (acked / 2xx / written).', ['sink'] as const),
    retried: counter(registry, 'lookout_sink_records_retried_total', 'Anomaly records a sink scheduled for another attempt.', ['sink'] as const),
    failed: counter(registry, 'lookout_sink_records_failed_total', 'Anomaly records a sink gave up on (permanent error or attempts exhausted).', ['sink'] as const),
    dropped: counter(registry, 'lookout_sink_records_dropped_total', 'Anomaly records dropped unsent: queue overflow or unsent at close.', ['sink', 'severity', 'reason'] as const),
    queued: gauge(registry, 'lookout_sink_queued_records', 'Anomaly records waiting in or being delivered by a sink.', ['sink'] as const),
    suppressed: counter(registry, 'lookout_notifications_suppressed_total', 'Anomalies not re-notified because an equal one was sent within the suppression window.', ['severity'] as const),
  };
}

export type SinkMetrics = ReturnType<typeof createSinkMetrics>;
