/**
 * PackedForward mode: `[tag, bin|str, option?]` where the payload is entries
 * concatenated as msgpack with no outer array. Fluentd and some clients send
 * the payload as str, so the caller hands us the raw bytes either way.
 * Spec: https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#packedforward-mode
 */
import { MeasuredMsgpackReader } from '../msgpack_value.js';
import { ForwardDecodeError } from './errors.js';
import { readEntries } from './entries.js';
import type { EntryBatch } from './protocol.js';

/**
 * Decodes the concatenated entries straight into events, one entry at a time
 * (no array of all decoded entries in between). The payload must have been
 * measured entry by entry (../msgpack_shape.ts, as the transport does), which
 * is what lets MeasuredMsgpackReader skip its own bounds checks; a value it
 * cannot accept (a `__proto__` key, a malformed EventTime) makes the message
 * malformed, and none of its entries are kept.
 */
export function readPackedForwardMode(payload: Uint8Array, messageOffset: number): EntryBatch {
  try {
    return readEntries(entriesOf(new MeasuredMsgpackReader(payload)));
  } catch (err) {
    if (err instanceof ForwardDecodeError) throw err;
    throw new ForwardDecodeError(`PackedForward entries are not a msgpack stream: ${(err as Error).message}`, messageOffset);
  }
}

function* entriesOf(reader: MeasuredMsgpackReader): Generator<unknown> {
  while (!reader.done) yield reader.value();
}
