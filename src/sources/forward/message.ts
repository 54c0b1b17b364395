/**
 * Message mode: `[tag, time, record, option?]`, one event per carrier message.
 * Fluent Bit sends it when out_forward's tag is built from record fields; its
 * `option.metadata` map is the record's metadata (the `[time, metadata]` of the
 * other modes). Spec: https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#message-modes
 */
import { readEntries } from './entries.js';
import type { EntryBatch, Option } from './protocol.js';

export function readMessageMode(time: unknown, record: unknown, option: Option): EntryBatch {
  const head = option.metadata ? [time, option.metadata] : time;
  return readEntries([[head, record]]);
}
