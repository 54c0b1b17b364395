/**
 * Slack notification channel: one incoming-webhook POST per anomaly
 * (https://api.slack.com/messaging/webhooks). Slack answers 200 `ok`; 429
 * (with Retry-After) and 5xx are retried by the shared queue; 400/403/404
 * (invalid_payload, invalid_token, no_service) fail the message.
 */
import { sendHttp } from '../delivery/http.js';
import { queuedSink, type SinkDeps } from '../delivery/queued-sink.js';
import type { Sink } from '../sink.js';
import type { SlackOptions } from './config.js';
import { slackMessage } from './encoder.js';

export function createSlackSink(name: string, options: SlackOptions, deps: SinkDeps): Sink {
  return queuedSink(
    name,
    async (batch, signal) => {
      for (const record of batch) {
        const message = slackMessage(record, { maxEvidence: options.max_evidence, criticalMention: options.critical_mention });
        await sendHttp(
          { sink: name, url: options.webhook_url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), timeoutMs: options.timeout_ms },
          signal,
        );
      }
    },
    { ...options, batch_max_records: 1 },
    deps,
  );
}
