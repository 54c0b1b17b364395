/**
 * LogRecord: the one shape every source yields and every later stage reads.
 *
 * Sources (HTTP, Forward, file) turn whatever arrived on the wire into raw
 * field maps, then `normalize()` (./normalize.ts) maps those onto this record.
 * Windows, analysis and sinks only ever see LogRecord.
 */

export const LEVELS = ['trace', 'debug', 'info', 'notice', 'warn', 'error', 'critical', 'fatal', 'unknown'] as const;
export type Level = (typeof LEVELS)[number];

/** Where a record came in; also the `source` label of the ingest metrics. */
export type SourceKind = 'http' | 'forward' | 'file';

export interface LogRecord {
  /** Event time in epoch milliseconds (fractional for sub-ms precision); arrival time when the record carried none. */
  timestamp: number;
  /** When Lookout received the record, epoch milliseconds. */
  observedAt: number;
  level: Level;
  service: string;
  host: string;
  message: string;
  /** Every field of the original record not consumed as timestamp, level or message; the windower lets it go once the stream key is read. */
  fields: Record<string, unknown>;
  source: SourceKind;
  /** Fluent Bit / Forward tag, when the transport had one. */
  tag?: string;
  /** Approximate in-memory size in bytes, used by the buffer bounds. */
  size: number;
}

/** The empty field map of a record whose fields were let go (windower) or never sent (a shard's packed window). */
export const NO_FIELDS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
