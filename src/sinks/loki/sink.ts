/**
 * loki sink: pushes anomaly records to Grafana Loki's push API
 * (POST /loki/api/v1/push, JSON, https://grafana.com/docs/loki/latest/reference/loki-http-api/#ingest-logs)
 * with low-cardinality stream labels and the rest as structured metadata or
 * in the JSON line. Loki answers 204; 429/5xx are retried by the shared queue,
 * 400 (e.g. out-of-order or too-old entries) fails the batch.
 */
import { authHeaders } from '../delivery/auth.js';
import { sendHttp } from '../delivery/http.js';
import { queuedSink, type SinkDeps } from '../delivery/queued-sink.js';
import type { Sink } from '../sink.js';
import type { LokiSinkOptions } from './config.js';
import { encodeLokiPush } from './encoder.js';

export function createLokiSink(name: string, options: LokiSinkOptions, deps: SinkDeps): Sink {
  const url = `${options.endpoint.replace(/\/+$/, '')}${options.path}`;
  const fixedHeaders: Record<string, string> = {
    'content-type': 'application/json',
    ...options.headers,
    ...authHeaders(options.auth),
    ...(options.tenant_id ? { 'x-scope-orgid': options.tenant_id } : {}),
  };
  return queuedSink(
    name,
    async (batch, signal) => {
      await sendHttp(
        {
          sink: name,
          url,
          headers: fixedHeaders,
          body: JSON.stringify(encodeLokiPush(batch, options)),
          compression: options.compression,
          timeoutMs: options.timeout_ms,
        },
        signal,
      );
    },
    options,
    deps,
  );
}
