/**
 * An Intake for source tests: keeps every admitted record, and can be made to
 * refuse (buffer full / shutting down) so back-pressure paths are exercised.
 */
import type { Admission, Intake } from '../../src/sources/intake.js';
import type { LogRecord } from '../../src/sources/record.js';

export class CollectingIntake implements Intake {
  readonly records: LogRecord[] = [];
  /** Admission stops once this many records are held (until `drain()`). */
  capacity = Number.POSITIVE_INFINITY;
  shuttingDown = false;
  /** As a windower whose analyzer and stream key read no raw fields would say. */
  readsFields: boolean | undefined = undefined;
  private waiters: Array<() => void> = [];

  admit(records: LogRecord[]): Admission {
    if (this.shuttingDown) return { ok: false, reason: 'shutting_down', retryAfterSeconds: 5 };
    if (this.records.length + records.length > this.capacity) return { ok: false, reason: 'buffer_full', retryAfterSeconds: 1 };
    this.records.push(...records);
    return { ok: true };
  }

  whenWritable(records?: readonly LogRecord[]): Promise<void> {
    if (this.shuttingDown || this.records.length + (records?.length ?? 1) <= this.capacity) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Empties the buffer (as a window flush would) and wakes waiting sources; returns what was held. */
  drain(): LogRecord[] {
    const out = this.records.splice(0);
    for (const wake of this.waiters.splice(0)) wake();
    return out;
  }
}
