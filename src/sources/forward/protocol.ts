/**
 * Forward protocol v1 terms (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1)
 * as typed values, plus the `option` map reader shared by all event modes.
 *
 * Carrier modes: Message `[tag, time, record, option?]`, Forward
 * `[tag, [entry…], option?]`, PackedForward `[tag, bin|str, option?]` and
 * CompressedPackedForward (PackedForward with `option.compressed`). Fluent Bit
 * adds `option.fluent_signal` (0 logs, 1 metrics, 2 traces…) and, in Message
 * mode, `option.metadata`.
 */
import { isMap, type FluentEntry } from '../fluent_entry.js';
import { ForwardDecodeError } from './errors.js';

/** Mode names as used in the `format` label of `lookout_records_received_total`. */
export type EventMode = 'message' | 'forward' | 'packed_forward' | 'compressed_packed_forward';

/** `fluent_signal` of a log chunk; other signals carry metrics/traces/blobs/profiles, which Lookout does not read. */
export const FLUENT_SIGNAL_LOGS = 0;

export interface Option {
  /** Asks for `{ack: chunk}` once the message is accepted. */
  chunk?: string;
  size?: number;
  /** `"gzip"` (or `"zstd"`, which Fluent Bit also accepts); `"text"` or absent means uncompressed. */
  compressed?: string;
  fluentSignal: number;
  /** Fluent Bit Message mode: the record's metadata. */
  metadata?: Record<string, unknown>;
}

export type Event = Extract<FluentEntry, { kind: 'event' }>;

/** Events read from one carrier message. Malformed entries are skipped and counted, not fatal. */
export interface EntryBatch {
  events: Event[];
  /** One description per entry that was not a valid `[time, record]` / `[[time, meta], record]`. */
  malformed: string[];
}

export interface EventMessage {
  mode: EventMode;
  tag: string;
  option: Option;
  batch: EntryBatch;
  /** Estimated heap bytes of the decoded message (decode_limits.ts), shared among its records for the buffer bounds. */
  entryBytes: number;
}

/** Reads the `option` element; nil and absent both mean no options. */
export function parseOption(value: unknown, offset: number): Option {
  if (value === undefined || value === null) return { fluentSignal: FLUENT_SIGNAL_LOGS };
  if (!isMap(value)) throw new ForwardDecodeError('option is not a map', offset);
  const { chunk, size, compressed, fluent_signal: signal, metadata } = value;
  if (chunk !== undefined && typeof chunk !== 'string') throw new ForwardDecodeError('option.chunk is not a string', offset);
  if (compressed !== undefined && typeof compressed !== 'string') throw new ForwardDecodeError('option.compressed is not a string', offset);
  if (signal !== undefined && typeof signal !== 'number') throw new ForwardDecodeError('option.fluent_signal is not a number', offset);
  return {
    chunk,
    size: typeof size === 'number' ? size : undefined,
    compressed,
    fluentSignal: signal ?? FLUENT_SIGNAL_LOGS,
    metadata: isMap(metadata) ? metadata : undefined,
  };
}
