/**
 * Sink and notification configuration, embedded by the root config as
 * `sinks:` (a list, discriminated on `type`, several instances of a type
 * allowed with distinct `name`s) and `notifications:` (suppression, routes,
 * redaction, and one block per channel). Keys are snake_case, unknown keys are errors.
 */
import { z } from 'zod';
import { SeveritySchema } from '../analysis/anomaly.js';
import { elasticsearchOptionsShape } from './elasticsearch/config.js';
import { fileOptionsShape, FileSinkOptionsSchema } from './file/config.js';
import { forwardOptionsShape } from './forward/config.js';
import { httpOptionsShape, HttpSinkOptionsSchema } from './http/config.js';
import { lokiOptionsShape } from './loki/config.js';
import { NotificationRedactionConfigSchema } from './notifications/redact.js';
import { RouteSchema } from './notifications/routing.js';
import { PagerDutyOptionsSchema } from './pagerduty/config.js';
import { SlackOptionsSchema } from './slack/config.js';
import { stdoutOptionsShape } from './stdout/config.js';

/** Options every pipeline sink has besides its own. */
const pipelineShape = {
  /** Instance name: the `sink` metric label and log field; defaults to the type. Must be unique. */
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -').optional(),
  /** Records below this severity are not sent to this sink. */
  min_severity: SeveritySchema.default('low'),
  /** Send only what notifications would send (repeats within the suppression window held back). */
  apply_suppression: z.boolean().default(false),
  /** Redact secrets and personal data in records sent to this sink, with the rules of `notifications.redaction`. */
  redact: z.boolean().default(false),
};

export const StdoutSinkConfigSchema = z.strictObject({ type: z.literal('stdout'), ...pipelineShape, ...stdoutOptionsShape });
export const FileSinkConfigSchema = z.strictObject({ type: z.literal('file'), ...pipelineShape, ...fileOptionsShape });
export const HttpSinkConfigSchema = z.strictObject({ type: z.literal('http'), ...pipelineShape, ...httpOptionsShape });
export const ForwardSinkConfigSchema = z.strictObject({ type: z.literal('forward'), ...pipelineShape, ...forwardOptionsShape });
export const LokiSinkConfigSchema = z.strictObject({ type: z.literal('loki'), ...pipelineShape, ...lokiOptionsShape });
export const ElasticsearchSinkConfigSchema = z.strictObject({ type: z.literal('elasticsearch'), ...pipelineShape, ...elasticsearchOptionsShape });

export const SinkConfigSchema = z.discriminatedUnion('type', [
  StdoutSinkConfigSchema,
  FileSinkConfigSchema,
  HttpSinkConfigSchema,
  ForwardSinkConfigSchema,
  LokiSinkConfigSchema,
  ElasticsearchSinkConfigSchema,
]);
export type SinkConfig = z.output<typeof SinkConfigSchema>;

export const SinksConfigSchema = z
  .array(SinkConfigSchema)
  .default([{ type: 'stdout', min_severity: 'low', apply_suppression: false, redact: false, buffer_max_records: 10_000, batch_max_records: 100 }])
  .superRefine((sinks, ctx) => {
    const seen = new Set<string>();
    sinks.forEach((s, i) => {
      const name = s.name ?? s.type;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate sink name "${name}": give each ${s.type} sink a unique name` });
      seen.add(name);
    });
  });
export type SinksConfig = z.output<typeof SinksConfigSchema>;

export const NotificationsConfigSchema = z
  .strictObject({
    /** An anomaly equal to one notified this recently (same service, type, main template) is not notified again. */
    suppression_minutes: z.number().min(15).max(30).default(20),
    /** Distinct suppression keys remembered; the least recently used are forgotten beyond it. */
    suppression_max_keys: z.number().int().min(1).default(10_000),
    /** Routing rules; when omitted: critical → pagerduty, high/medium → slack, low → file (channels not configured are skipped). */
    routes: z.array(RouteSchema).optional(),
    /** Secrets and personal data in records bound for any notification channel become placeholders. */
    redaction: NotificationRedactionConfigSchema.prefault({}),
    slack: SlackOptionsSchema.optional(),
    pagerduty: PagerDutyOptionsSchema.optional(),
    webhook: HttpSinkOptionsSchema.optional(),
    /** Local NDJSON file, by default for low-severity anomalies kept for a weekly review. */
    file: FileSinkOptionsSchema.optional(),
  })
  .superRefine((n, ctx) => {
    n.routes?.forEach((route, i) =>
      route.channels.forEach((channel, j) => {
        if (!n[channel]) ctx.addIssue({ code: 'custom', path: ['routes', i, 'channels', j], message: `route uses channel "${channel}" but notifications.${channel} is not configured` });
      }),
    );
  });
export type NotificationsConfig = z.output<typeof NotificationsConfigSchema>;
