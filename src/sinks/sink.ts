/**
 * Sink: where anomaly records go. Each sink folder (stdout/, forward/, http/, …)
 * holds its zod config schema and a factory that returns this interface.
 *
 * `send` resolves once the records are handed to the sink's own delivery path
 * (a bounded queue for network sinks); it must never block the analysis stage
 * for long, and must never throw for a delivery failure (count it instead).
 * `close` flushes what is queued within the given time and releases resources.
 */
import type { AnomalyRecord } from './record.js';

export interface Sink {
  /** Instance name from config (defaults to the sink type), used as the `sink` metric label. */
  readonly name: string;
  send(records: AnomalyRecord[]): Promise<void>;
  close(timeoutMs: number): Promise<void>;
}
