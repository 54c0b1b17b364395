/**
 * Redaction of anomaly records before they leave for a third party
 * (`notifications.redaction`, and pipeline sinks with `redact: true`).
 * Evidence lines are verbatim log lines, so a secret or personal datum in a
 * log line would otherwise reach Slack, PagerDuty or a webhook as is.
 *
 * Uses the LLM's Redactor (src/analysis/redaction/), one per record, so a value
 * keeps one placeholder across that record's templates, summary, evidence,
 * recommended action and message (`<TOKEN_1>` in the evidence is the
 * `<TOKEN_1>` in the summary). Service, host and stream names come from
 * record fields and tags and are redacted the same way; they and the templates
 * go first, so a stream's names and main template (and with them PagerDuty's
 * dedup key) redact the same in every record. Returns a copy; the input record
 * is not changed.
 */
import { z } from 'zod';
import { RedactionConfigSchema, type RedactionConfig } from '../../analysis/redaction/config.js';
import { Redactor } from '../../analysis/redaction/redactor.js';
import type { AnomalyRecord } from '../record.js';

export const NotificationRedactionConfigSchema = RedactionConfigSchema.extend({
  /** Redact records routed to notification channels; on by default because those channels are third parties. */
  enabled: z.boolean().default(true),
});
export type NotificationRedactionConfig = z.output<typeof NotificationRedactionConfigSchema>;

export function redactRecord(record: AnomalyRecord, cfg: RedactionConfig): AnomalyRecord {
  const redactor = new Redactor(cfg);
  const service = { name: redactor.redact(record.service.name) };
  const host = { name: redactor.redact(record.host.name) };
  const stream = redactor.redact(record.window.stream);
  const a = record.anomaly;
  const templates = a.templates.map((t) => redactor.redact(t));
  const summary = redactor.redact(a.summary);
  const evidence = a.evidence.map((e) => redactor.redact(e));
  const recommended_action = redactor.redact(a.recommended_action);
  return {
    ...record,
    message: redactor.redact(record.message),
    service,
    host,
    window: { ...record.window, stream },
    anomaly: { ...a, templates, summary, evidence, recommended_action },
  };
}
