/**
 * stdout sink: each anomaly record as one NDJSON line on standard output (or
 * any Writable), for `lookout analyze`, `kubectl logs`, or a Vector `stdin` /
 * `exec` source. Lookout's own logs go to stderr, so stdout stays clean.
 * A write error (EPIPE: the reader went away) fails the batch; nothing is retried.
 */
import type { Writable } from 'node:stream';
import { queuedSink, type SinkDeps } from '../delivery/queued-sink.js';
import { PermanentDeliveryError } from '../delivery/errors.js';
import { encodeNdjson } from '../ndjson.js';
import type { Sink } from '../sink.js';
import type { StdoutSinkOptions } from './config.js';

export function createStdoutSink(name: string, options: StdoutSinkOptions, deps: SinkDeps & { stdout?: Writable }): Sink {
  const out = deps.stdout ?? process.stdout;
  return queuedSink(
    name,
    (batch) =>
      new Promise<void>((resolve, reject) => {
        out.write(encodeNdjson(batch), (err) => (err ? reject(new PermanentDeliveryError(`write failed: ${err.message}`, name, { cause: err })) : resolve()));
      }),
    options,
    deps,
  );
}
