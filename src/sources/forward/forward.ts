/**
 * Forward mode: `[tag, [entry…], option?]`, a msgpack array of entries. It is
 * what Fluent Bit's out_forward sends by default (entries in the
 * `[[EventTime, {meta}], record]` shape since 5.0.5).
 * Spec: https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#forward-mode
 */
import { readEntries } from './entries.js';
import type { EntryBatch } from './protocol.js';

export function readForwardMode(entries: unknown[]): EntryBatch {
  return readEntries(entries);
}
