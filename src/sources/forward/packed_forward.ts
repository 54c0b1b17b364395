/**
 * PackedForward mode: `[tag, bin|str, option?]` where the payload is entries
 * concatenated as msgpack with no outer array. Fluentd and some clients send
 * the payload as str, so the caller hands us the raw bytes either way.
 * Spec: https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#packedforward-mode
 */
import type { Decoder } from '@msgpack/msgpack';
import { ForwardDecodeError } from './errors.js';
import { readEntries } from './entries.js';
import type { EntryBatch } from './protocol.js';

/**
 * Decodes the concatenated entries straight into events, one entry at a time
 * (no array of all decoded entries in between); a payload that is not a whole
 * msgpack stream is a malformed message, and none of its entries are kept.
 */
export function readPackedForwardMode(payload: Uint8Array, decoder: Decoder<undefined>, messageOffset: number): EntryBatch {
  try {
    return readEntries(decoder.decodeMulti(payload));
  } catch (err) {
    if (err instanceof ForwardDecodeError) throw err;
    throw new ForwardDecodeError(`PackedForward entries are not a msgpack stream: ${(err as Error).message}`, messageOffset);
  }
}
