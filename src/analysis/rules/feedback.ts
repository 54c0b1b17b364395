/**
 * Feedback that sticks: an operator's verdict `{anomaly_id, verdict}` on an
 * emitted anomaly (`POST /v1/feedback`, served by
 * ../../topology/feedback_route.ts) becomes a rule (rules.ts) matching that
 * finding's service, type and main template: `noise` mutes it, `minor` lowers
 * it one severity step, `useful` keeps it as it is (recorded in the log only).
 * `expires_in_hours` bounds the rule. FeedbackSchema is the body's zod schema.
 *
 * `rulesEmitter` wraps the sinks' emitter: every record passes the rules
 * before any sink, and the ids of what was sent are remembered (bounded LRU)
 * so feedback can name them.
 */
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { AnomalyRecord } from '../../sinks/record.js';
import type { Logger } from '../../telemetry/log.js';
import type { Emitter } from '../../topology/analysis_queue.js';
import type { Rule, RuleBook } from './rules.js';

export const FEEDBACK_PATH = '/v1/feedback';
const REMEMBERED = 10_000;

export const FeedbackSchema = z
  .object({
    anomaly_id: z.string().regex(/^[0-9a-f]{32}$/, 'an anomaly.id: 32 lowercase hex digits'),
    verdict: z.enum(['noise', 'minor', 'useful']),
    expires_in_hours: z.number().positive().max(24 * 366).optional(),
    note: z.string().max(1000).optional(),
  })
  .strict();
export type Feedback = z.infer<typeof FeedbackSchema>;

type Remembered = Pick<AnomalyRecord, 'service' | 'anomaly'>;

export class FeedbackDesk {
  private readonly seen = new LRUCache<string, Remembered>({ max: REMEMBERED });

  constructor(
    readonly book: RuleBook,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Applies the rules and remembers what goes out. */
  filter(records: AnomalyRecord[]): AnomalyRecord[] {
    const { records: out, muted, lowered } = this.book.apply(records);
    if (muted + lowered > 0) this.logger.info({ muted, lowered }, 'rules applied to anomalies');
    for (const r of records) this.seen.set(r.anomaly.id, { service: r.service, anomaly: r.anomaly });
    return out;
  }

  /** The rule a verdict creates (undefined for `useful`), stored; throws UnknownAnomalyError for an id not seen. */
  async record(f: Feedback): Promise<Rule | undefined> {
    const r = this.seen.get(f.anomaly_id);
    if (!r) throw new UnknownAnomalyError(f.anomaly_id);
    this.logger.info({ anomaly: f.anomaly_id, verdict: f.verdict, type: r.anomaly.type, service: r.service.name }, 'feedback');
    if (f.verdict === 'useful') return undefined;
    const created = new Date(this.now());
    const template = r.anomaly.templates[0];
    return this.book.add({
      id: `feedback-${f.anomaly_id.slice(0, 12)}-${created.getTime()}`,
      match: { service: r.service.name, type: r.anomaly.type, ...(template ? { template } : {}) },
      action: f.verdict === 'noise' ? 'mute' : 'lower',
      ...(f.expires_in_hours ? { expires_at: new Date(created.getTime() + f.expires_in_hours * 3_600_000).toISOString() } : {}),
      note: f.note ?? `${f.verdict}: ${r.anomaly.summary.slice(0, 200)}`,
      created_at: created.toISOString(),
    });
  }
}

export class UnknownAnomalyError extends Error {
  override name = 'UnknownAnomalyError';
  constructor(readonly id: string) {
    super(`no anomaly ${id} among the last ${REMEMBERED} sent`);
  }
}

/** The sinks behind the rules: muted records never reach them, lowered ones arrive at their new severity. */
export function rulesEmitter(inner: Emitter, desk: FeedbackDesk): Emitter {
  return {
    async emit(records) {
      const kept = desk.filter(records);
      if (kept.length > 0) await inner.emit(kept);
    },
    close: (timeoutMs) => inner.close(timeoutMs),
  };
}
