/**
 * Feedback that sticks: `POST /v1/feedback` with `{anomaly_id, verdict}`
 * turns an operator's verdict on an emitted anomaly into a rule (rules.ts)
 * matching that finding's service, type and main template: `noise` mutes it,
 * `minor` lowers it one severity step, `useful` keeps it as it is (recorded
 * in the log only). `expires_in_hours` bounds the rule. The body is validated
 * with zod; a bad body gets 400 with a JSON message, an anomaly id Lookout no
 * longer remembers 404.
 *
 * `rulesEmitter` wraps the sinks' emitter: every record passes the rules
 * before any sink, and the ids of what was sent are remembered (bounded LRU)
 * so feedback can name them.
 */
import express, { type Router } from 'express';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { AnomalyRecord } from '../../sinks/record.js';
import type { Logger } from '../../telemetry/log.js';
import type { Emitter } from '../../topology/analysis_queue.js';
import type { Rule, RuleBook } from './rules.js';

export const FEEDBACK_PATH = '/v1/feedback';
const REMEMBERED = 10_000;
const MAX_BODY = '16kb';

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

export function feedbackRouter(desk: FeedbackDesk): Router {
  const router = express.Router();
  router.post(FEEDBACK_PATH, express.json({ limit: MAX_BODY, type: () => true }), async (req, res) => {
    const parsed = FeedbackSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `invalid feedback: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`, code: 400 });
      return;
    }
    try {
      const rule = await desk.record(parsed.data);
      res.status(200).json({ accepted: true, rule: rule ?? null, persisted: rule !== undefined && desk.book.persistent });
    } catch (err) {
      if (err instanceof UnknownAnomalyError) res.status(404).json({ error: err.message, code: 404 });
      else res.status(500).json({ error: `could not store the rule: ${(err as Error).message}`, code: 500 });
    }
  });
  // A body express.json cannot parse is the client's fault: JSON 400, not express's HTML page.
  router.use(FEEDBACK_PATH, ((err, _req, res, next) => {
    if (!err) return next();
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 400;
    res.status(status).json({ error: `invalid feedback body: ${err.message}`, code: status });
  }) as express.ErrorRequestHandler);
  return router;
}
