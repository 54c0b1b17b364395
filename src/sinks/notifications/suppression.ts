/**
 * Suppression: an anomaly equal to one notified within the last N minutes
 * (same service, type and main template) is not notified again; the next one
 * that is notified carries `anomaly.suppressed_count`, the number held back
 * in between. State is an lru-cache bounded in keys, with a TTL on the
 * injected clock: an entry expires one window after its last notification or
 * suppression, so a count survives until the next notification shortly after.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { AnomalyRecord } from '../record.js';

/** Stable key of (service, type, main template); also PagerDuty's dedup_key. */
export function suppressionKey(record: AnomalyRecord): string {
  const mainTemplate = record.anomaly.templates[0] ?? '';
  return createHash('sha256').update(`${record.service.name}\u0000${record.anomaly.type}\u0000${mainTemplate}`).digest('hex').slice(0, 32);
}

interface Entry {
  notifiedAt: number;
  suppressed: number;
}

export type SuppressionDecision = { notify: true; record: AnomalyRecord } | { notify: false };

export class Suppressor {
  private readonly cache: LRUCache<string, Entry>;

  constructor(
    private readonly windowMs: number,
    maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new LRUCache<string, Entry>({ max: maxKeys, ttl: windowMs, ttlResolution: 0, perf: { now } });
  }

  /** Decides for one anomaly and records the decision; a notified record gets `suppressed_count` when some were held back. */
  check(record: AnomalyRecord): SuppressionDecision {
    const key = suppressionKey(record);
    const t = this.now();
    const entry = this.cache.get(key);
    if (entry && t - entry.notifiedAt < this.windowMs) {
      entry.suppressed++;
      // Re-setting restarts the TTL, keeping the count for the next notification.
      this.cache.set(key, entry);
      return { notify: false };
    }
    this.cache.set(key, { notifiedAt: t, suppressed: 0 });
    if (!entry?.suppressed) return { notify: true, record };
    return { notify: true, record: { ...record, anomaly: { ...record.anomaly, suppressed_count: entry.suppressed } } };
  }
}
