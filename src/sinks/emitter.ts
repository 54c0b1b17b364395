/**
 * AnomalyEmitter: the single object the topology hands anomaly records to.
 * Every record goes to every pipeline sink (filtered by its `min_severity`,
 * and by suppression when it sets `apply_suppression`); records that pass
 * suppression are routed to notification channels. Records bound for a
 * notification channel (unless `notifications.redaction.enabled` is false) or
 * a pipeline sink with `redact: true` are redacted first, once per record,
 * all such sinks sharing the copy. `emit` only enqueues into
 * each sink's own queue, so a slow or failing sink never blocks the caller or
 * the other sinks. `close` flushes all sinks in parallel within the deadline.
 */
import { SEVERITY_RANK } from '../analysis/anomaly.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { SinkMetrics } from './delivery/metrics.js';
import { redactRecord, type NotificationRedactionConfig } from './notifications/redact.js';
import { routeChannels, type ChannelName, type Route } from './notifications/routing.js';
import type { Suppressor } from './notifications/suppression.js';
import type { AnomalyRecord } from './record.js';
import type { Sink } from './sink.js';

export interface PipelineSink {
  sink: Sink;
  minSeverityRank: number;
  applySuppression: boolean;
  /** Hand this sink redacted copies. */
  redact: boolean;
}

export interface AnomalyEmitterParts {
  pipeline: PipelineSink[];
  channels: Map<ChannelName, Sink>;
  routes: readonly Route[];
  suppressor: Suppressor;
  redaction: NotificationRedactionConfig;
  metrics: Metrics;
  sinkMetrics: SinkMetrics;
  logger: Logger;
}

export class AnomalyEmitter {
  private readonly suppressionUsed: boolean;

  constructor(private readonly parts: AnomalyEmitterParts) {
    this.suppressionUsed = parts.channels.size > 0 || parts.pipeline.some((p) => p.applySuppression);
  }

  get sinks(): readonly Sink[] {
    return this.parts.pipeline.map((p) => p.sink);
  }

  get channels(): ReadonlyMap<ChannelName, Sink> {
    return this.parts.channels;
  }

  async emit(records: AnomalyRecord[]): Promise<void> {
    if (records.length === 0) return;
    const notified = this.suppressionUsed ? this.applySuppression(records) : records;
    const redacted = new Map<AnomalyRecord, AnomalyRecord>();
    const redact = (r: AnomalyRecord): AnomalyRecord => {
      let copy = redacted.get(r);
      if (!copy) redacted.set(r, (copy = redactRecord(r, this.parts.redaction)));
      return copy;
    };
    await Promise.all(
      this.parts.pipeline.map(({ sink, minSeverityRank, applySuppression, redact: redactThis }) => {
        const chosen = (applySuppression ? notified : records).filter((r) => SEVERITY_RANK[r.anomaly.severity] >= minSeverityRank);
        return this.hand(sink, redactThis ? chosen.map(redact) : chosen);
      }),
    );
    const perChannel = new Map<ChannelName, AnomalyRecord[]>();
    for (const record of notified) {
      for (const channel of routeChannels(record, this.parts.routes)) {
        if (!this.parts.channels.has(channel)) continue;
        const list = perChannel.get(channel) ?? [];
        list.push(this.parts.redaction.enabled ? redact(record) : record);
        perChannel.set(channel, list);
      }
    }
    await Promise.all([...perChannel].map(([channel, list]) => this.hand(this.parts.channels.get(channel)!, list)));
  }

  async close(timeoutMs: number): Promise<void> {
    const all = [...this.parts.pipeline.map((p) => p.sink), ...this.parts.channels.values()];
    await Promise.all(all.map((s) => s.close(timeoutMs)));
  }

  private applySuppression(records: AnomalyRecord[]): AnomalyRecord[] {
    const out: AnomalyRecord[] = [];
    for (const record of records) {
      const decision = this.parts.suppressor.check(record);
      if (decision.notify) out.push(decision.record);
      else this.parts.sinkMetrics.suppressed.inc({ severity: record.anomaly.severity });
    }
    return out;
  }

  private async hand(sink: Sink, records: AnomalyRecord[]): Promise<void> {
    if (records.length === 0) return;
    const { anomaliesEmitted, emittedLabels } = this.parts.metrics;
    for (const r of records) {
      anomaliesEmitted.inc({ sink: sink.name, severity: r.anomaly.severity, service: emittedLabels.service.value(r.service.name), type: emittedLabels.type.value(r.anomaly.type) });
    }
    await sink.send(records);
  }
}
