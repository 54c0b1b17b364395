/**
 * http sink: POSTs batches of anomaly records as JSON or NDJSON (optionally
 * gzip) to Vector's `http_server` source, Fluent Bit's `http` input, or any
 * webhook (https://vector.dev/docs/reference/configuration/sources/http_server/,
 * https://docs.fluentbit.io/manual/pipeline/inputs/http). Delivery: the shared
 * queue; 2xx is success, 408/429/5xx are retried, other statuses fail the batch.
 */
import { authHeaders } from '../delivery/auth.js';
import { sendHttp } from '../delivery/http.js';
import { queuedSink, type SinkDeps } from '../delivery/queued-sink.js';
import type { Sink } from '../sink.js';
import type { HttpSinkOptions } from './config.js';
import { encodeHttpBody } from './encoder.js';

export function createHttpSink(name: string, options: HttpSinkOptions, deps: SinkDeps): Sink {
  const fixedHeaders = { ...options.headers, ...authHeaders(options.auth) };
  return queuedSink(
    name,
    async (batch, signal) => {
      const { contentType, body } = encodeHttpBody(batch, options.format);
      await sendHttp(
        {
          sink: name,
          url: options.uri,
          method: options.method,
          headers: { 'content-type': contentType, ...fixedHeaders },
          body,
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
