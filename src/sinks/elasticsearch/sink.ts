/**
 * elasticsearch sink: `_bulk` `create` of ECS anomaly documents into a data
 * stream or index, `_id` = anomaly.id so a retried batch cannot duplicate
 * (https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-bulk).
 * Whole-request 429/5xx and connection errors retry the batch; inside a 200
 * answer only the items that failed with 429/5xx are retried, 409 counts as
 * delivered, other item errors are counted as failed (like Vector's ES sink).
 */
import { authHeaders } from '../delivery/auth.js';
import { PermanentDeliveryError } from '../delivery/errors.js';
import { sendHttp } from '../delivery/http.js';
import { queuedSink, type SinkDeps } from '../delivery/queued-sink.js';
import type { Sink } from '../sink.js';
import type { ElasticsearchSinkOptions } from './config.js';
import { BulkResponseError, classifyBulkResponse, encodeBulk } from './encoder.js';

export function createElasticsearchSink(name: string, options: ElasticsearchSinkOptions, deps: SinkDeps): Sink {
  const url = new URL(`${options.endpoint.replace(/\/+$/, '')}/_bulk`);
  if (options.pipeline) url.searchParams.set('pipeline', options.pipeline);
  const fixedHeaders = { 'content-type': 'application/x-ndjson', ...options.headers, ...authHeaders(options.auth) };
  return queuedSink(
    name,
    async (batch, signal) => {
      const res = await sendHttp(
        { sink: name, url: url.toString(), headers: fixedHeaders, body: encodeBulk(batch, options.index), compression: options.compression, timeoutMs: options.timeout_ms },
        signal,
      );
      try {
        const outcome = classifyBulkResponse(batch, res.text);
        return { retry: outcome.retry, failed: outcome.failed, reason: outcome.reasons.join('; ') || undefined };
      } catch (err) {
        if (err instanceof BulkResponseError) throw new PermanentDeliveryError(err.message, name, { cause: err });
        throw err;
      }
    },
    options,
    deps,
  );
}
