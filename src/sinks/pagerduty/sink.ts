/**
 * PagerDuty notification channel: one Events API v2 `trigger` per anomaly
 * (POST https://events.pagerduty.com/v2/enqueue,
 * https://developer.pagerduty.com/docs/events-api-v2/overview/). PagerDuty
 * answers 202; 429 and 5xx are retried by the shared queue (PagerDuty asks
 * clients to retry those); 400 (invalid event) fails it.
 */
import { sendHttp } from '../delivery/http.js';
import { queuedSink, type SinkDeps } from '../delivery/queued-sink.js';
import { suppressionKey } from '../notifications/suppression.js';
import type { Sink } from '../sink.js';
import type { PagerDutyOptions } from './config.js';
import { pagerdutyEvent } from './encoder.js';

export function createPagerDutySink(name: string, options: PagerDutyOptions, deps: SinkDeps): Sink {
  return queuedSink(
    name,
    async (batch, signal) => {
      for (const record of batch) {
        const event = pagerdutyEvent(record, {
          routingKey: options.routing_key,
          dedupKey: suppressionKey(record),
          source: options.source,
          clientUrl: options.client_url,
        });
        await sendHttp(
          { sink: name, url: options.endpoint, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), timeoutMs: options.timeout_ms },
          signal,
        );
      }
    },
    { ...options, batch_max_records: 1 },
    deps,
  );
}
