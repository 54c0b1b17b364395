/**
 * Per-stream view for `GET /v1/streams`, in the spirit of `vector top`
 * (https://vector.dev/docs/reference/cli/#top): for each stream, records
 * admitted, windows analyzed, anomalies raised, when it was last seen, the
 * health of its last analyzed window and its clock skew.
 *
 * Fed at admission (one map update per stream per batch, not per record) and
 * when a window's analysis ends. Bounded: beyond `maxStreams` the stream seen
 * longest ago is forgotten.
 */
import type { AnalysisResult } from '../analysis/analyzer.js';
import type { WindowHealth } from '../analysis/anomaly.js';
import type { Admission, Intake } from '../sources/intake.js';
import type { LogRecord } from '../sources/record.js';
import { keyReadsFields, streamKey } from '../windows/stream_key.js';
import type { Window } from '../windows/window.js';

export interface StreamView {
  stream: string;
  service: string;
  host: string;
  records: number;
  windows: number;
  anomalies: number;
  /** When the stream's latest batch arrived (ISO 8601). */
  last_seen: string;
  /** Event time of its newest record (ISO 8601). */
  last_event: string;
  /** Health of its last analyzed window; null before the first. */
  health: WindowHealth | null;
  /** Arrival minus event time over its latest batch, mean, in seconds: positive when records arrive late, negative when the sender's clock runs ahead. */
  skew_seconds: number;
}

interface Entry {
  service: string;
  host: string;
  records: number;
  windows: number;
  anomalies: number;
  lastSeen: number;
  lastEvent: number;
  health: WindowHealth | null;
  skewMs: number;
}

export class StreamTable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly keyFields: readonly string[],
    private readonly maxStreams: number,
  ) {}

  /** The intake sources should use: admits through `inner`, and counts what it accepted. */
  counting(inner: Intake): Intake {
    return {
      admit: (records: LogRecord[], sender?: string): Admission => {
        // Admission places each record on its stream's time axis (README "Time"), rewriting `timestamp`: keep its own.
        const own = records.map((r) => r.timestamp);
        const admission = inner.admit(records, sender);
        if (admission.ok) this.observe(records, own);
        return admission;
      },
      whenWritable: (records, sender) => inner.whenWritable(records, sender),
      readsFields: inner.readsFields !== false || keyReadsFields(this.keyFields),
    };
  }

  /** `own`: each record's own event time, when its `timestamp` has since been moved (defaults to `timestamp`). */
  observe(records: readonly LogRecord[], own: readonly number[] = records.map((r) => r.timestamp)): void {
    const batches = new Map<string, number[]>();
    records.forEach((r, i) => {
      const key = streamKey(r, this.keyFields);
      const list = batches.get(key);
      if (list) list.push(i);
      else batches.set(key, [i]);
    });
    for (const [key, batch] of batches) {
      const entry = this.touch(key, records[batch[0]]);
      let skew = 0;
      for (const i of batch) {
        const r = records[i];
        skew += r.observedAt - own[i];
        if (own[i] > entry.lastEvent) entry.lastEvent = own[i];
        if (r.observedAt > entry.lastSeen) entry.lastSeen = r.observedAt;
      }
      entry.records += batch.length;
      entry.skewMs = skew / batch.length;
    }
  }

  analyzed(window: Window, result: AnalysisResult | undefined): void {
    const entry = this.entries.get(window.stream);
    if (!entry) return;
    entry.windows++;
    entry.anomalies += result?.anomalies.length ?? 0;
    if (result) entry.health = result.health;
  }

  list(): StreamView[] {
    return [...this.entries]
      .map(([stream, e]) => ({
        stream,
        service: e.service,
        host: e.host,
        records: e.records,
        windows: e.windows,
        anomalies: e.anomalies,
        last_seen: new Date(e.lastSeen).toISOString(),
        last_event: new Date(e.lastEvent).toISOString(),
        health: e.health,
        skew_seconds: Math.round(e.skewMs) / 1000,
      }))
      .sort((a, b) => b.records - a.records || (a.stream < b.stream ? -1 : 1));
  }

  private touch(key: string, first: LogRecord): Entry {
    let entry = this.entries.get(key);
    if (entry) {
      // Re-insert so the Map's order is least recently seen first, for eviction.
      this.entries.delete(key);
    } else {
      entry = { service: first.service, host: first.host, records: 0, windows: 0, anomalies: 0, lastSeen: 0, lastEvent: -Infinity, health: null, skewMs: 0 };
      if (this.entries.size >= this.maxStreams) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, entry);
    return entry;
  }
}
