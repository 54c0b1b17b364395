/**
 * file sink: NDJSON anomaly records appended to a local file with size-based
 * rotation (see rotating-file.ts), e.g. for a Vector `file` source, Fluent Bit
 * `tail`, or the weekly review of low-severity anomalies. Write errors
 * (ENOSPC, EACCES…) are retried with back-off: the file is reopened each time.
 */
import { queuedSink, type SinkDeps } from '../delivery/queued-sink.js';
import { RetryableDeliveryError } from '../delivery/errors.js';
import type { Sink } from '../sink.js';
import type { FileSinkOptions } from './config.js';
import { RotatingFile } from './rotating-file.js';

export function createFileSink(name: string, options: FileSinkOptions, deps: SinkDeps): Sink {
  const file = new RotatingFile(options.path, options.max_bytes, options.max_files);
  return queuedSink(
    name,
    async (batch) => {
      try {
        await file.append(batch.map((r) => `${JSON.stringify(r)}\n`));
      } catch (err) {
        await file.close().catch(() => undefined);
        throw new RetryableDeliveryError(`cannot write ${options.path}: ${(err as Error).message}`, name, undefined, { cause: err });
      }
    },
    options,
    deps,
    () => file.close(),
  );
}
