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
  | { ok: false; reason: 'shutting_down'; retryAfterSeconds: number };

export type Admission = { ok: true } | Refusal;

export interface Intake {
  admit(records: LogRecord[]): Admission;
  /**
   * Resolves once `records` (by default, one more record) would be admitted:
   * they fit under the bounds, the buffer is empty, or shutdown began. A source
   * waits on it before calling `admit` again, so a refused batch never spins.
   */
  whenWritable(records?: readonly LogRecord[]): Promise<void>;
}
