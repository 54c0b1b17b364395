/**
 * PagerDuty Events API v2 trigger event for one anomaly
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
 * `dedup_key` is the suppression key (service, type, main template), so a
 * repeat of the same problem updates the open incident instead of opening
 * another. Severity map: critical→critical, high→error, medium→warning, low→info.
 */
import type { Severity } from '../../analysis/anomaly.js';
import type { AnomalyRecord } from '../record.js';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';
export const PAGERDUTY_SEVERITY: Record<Severity, PagerDutySeverity> = { critical: 'critical', high: 'error', medium: 'warning', low: 'info' };

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  client: string;
  client_url?: string;
  payload: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
}

const SUMMARY_MAX = 1024;
const DEDUP_KEY_MAX = 255;

export function pagerdutyEvent(
  record: AnomalyRecord,
  opts: { routingKey: string; dedupKey: string; source?: string; clientUrl?: string },
): PagerDutyEvent {
  const a = record.anomaly;
  const summary = `[${a.severity}] ${record.service.name}: ${a.summary}`;
  return {
    routing_key: opts.routingKey,
    event_action: 'trigger',
    dedup_key: opts.dedupKey.slice(0, DEDUP_KEY_MAX),
    client: 'Lookout',
    ...(opts.clientUrl ? { client_url: opts.clientUrl } : {}),
    payload: {
      summary: summary.length <= SUMMARY_MAX ? summary : `${summary.slice(0, SUMMARY_MAX - 1)}…`,
      source: opts.source ?? record.host.name,
      severity: PAGERDUTY_SEVERITY[a.severity],
      timestamp: record['@timestamp'],
      component: record.service.name,
      group: record.window.stream,
      class: a.type,
      custom_details: {
        anomaly_id: a.id,
        evidence: a.evidence,
        recommended_action: a.recommended_action,
        score: a.score,
        detector: a.detector,
        analysis: a.analysis,
        window: record.window,
        labels: record.labels,
        ...(a.suppressed_count ? { suppressed_count: a.suppressed_count } : {}),
      },
    },
  };
}
