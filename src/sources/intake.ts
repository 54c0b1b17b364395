/**
 * Intake: the small interface sources push records through.
 *
 * The windows stage implements it. A source calls `admit` with every record of
 * one request / Forward message at once: admission is all-or-nothing, so a
 * client that is told to retry never causes half a batch to be duplicated.
 * Sources answer success to their client only after `admit` returned `ok`.
 */
import type { LogRecord } from './record.js';

export type Refusal =
  /** The global record/byte bound is reached: HTTP answers 429, Forward stops reading. */
  | { ok: false; reason: 'buffer_full'; retryAfterSeconds: number }
  /** Shutdown has begun: HTTP answers 503, Forward closes. */
  | { ok: false; reason: 'shutting_down'; retryAfterSeconds: number }
  /** The batch alone exceeds a buffer bound, so it can never be admitted: HTTP answers 413, Forward closes with a logged reason. */
  | { ok: false; reason: 'too_large'; limit: string; limitValue: number; actual: number };

export type Admission = { ok: true } | Refusal;

export interface Intake {
  /**
   * `sender` names who sent the batch (a Forward connection, an HTTP client
   * address): while the buffer is full, freed room is shared fairly between senders.
   */
  admit(records: LogRecord[], sender?: string): Admission;
  /**
   * Resolves once `records` (by default, one more record) would be admitted:
   * they fit under the bounds, the buffer is empty, or shutdown began. A source
   * waits on it before calling `admit` again, so a refused batch never spins.
   */
  whenWritable(records?: readonly LogRecord[], sender?: string): Promise<void>;
  /**
   * False when nothing past admission reads a record's `fields` (the stream key and analyzer use the normalized
   * parts only): a source may then hand records with `NO_FIELDS` rather than copy every field. Unset means read.
   */
  readonly readsFields?: boolean;
}
