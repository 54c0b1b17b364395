/**
 * Turns one complete msgpack object from a client into a heartbeat or an
 * EventMessage, dispatching on the carrier mode
 * (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#event-modes).
 * Anything else is a ForwardDecodeError: the connection is out of sync or not
 * speaking Forward, so the caller closes it. Chunks whose `fluent_signal` is
 * not logs are read no further (no decompression) and yield no events.
 */
import { Decoder } from '@msgpack/msgpack';
import { EventTime, fluentExtensionCodec } from '../fluent_entry.js';
import { decompressPayload, isCompressed } from './compressed_packed_forward.js';
import { ForwardDecodeError } from './errors.js';
import { readForwardMode } from './forward.js';
import { readMessageMode } from './message.js';
import type { Frame } from './msgpack_framer.js';
import { readPackedForwardMode } from './packed_forward.js';
import { FLUENT_SIGNAL_LOGS, parseOption, type EntryBatch, type EventMessage, type EventMode, type Option } from './protocol.js';

export type ClientMessage = { kind: 'heartbeat' } | { kind: 'event'; message: EventMessage };

export interface TransportDecoders {
  decoder: Decoder<undefined>;
  /** Keeps str values as bytes: a str PackedForward payload is binary, and UTF-8 decoding would mangle it. */
  rawStringDecoder: Decoder<undefined>;
}

export function createTransportDecoders(): TransportDecoders {
  return {
    decoder: new Decoder({ extensionCodec: fluentExtensionCodec }),
    rawStringDecoder: new Decoder({ extensionCodec: fluentExtensionCodec, rawStrings: true }),
  };
}

export function decodeFrame(frame: Frame, decoder: Decoder<undefined>): unknown {
  try {
    return decoder.decode(frame.bytes);
  } catch (err) {
    throw new ForwardDecodeError(`not a valid msgpack object: ${(err as Error).message}`, frame.offset);
  }
}

const NO_EVENTS: EntryBatch = { events: [], malformed: [] };

export async function readClientMessage(frame: Frame, decoders: TransportDecoders, maxDecompressedBytes: number): Promise<ClientMessage> {
  const value = decodeFrame(frame, decoders.decoder);
  if (value === null) return { kind: 'heartbeat' };
  const at = frame.offset;
  if (!Array.isArray(value) || value.length < 2 || value.length > 4 || typeof value[0] !== 'string') {
    throw new ForwardDecodeError('expected a Forward message [tag, …] or nil', at);
  }
  const tag = value[0];
  const second: unknown = value[1];
  const event = (mode: EventMode, option: Option, read: () => EntryBatch, entryBytes = frame.bytes.length): ClientMessage => ({
    kind: 'event',
    message: { mode, tag, option, batch: option.fluentSignal === FLUENT_SIGNAL_LOGS ? read() : NO_EVENTS, entryBytes },
  });

  if (Array.isArray(second)) {
    if (value.length > 3) throw new ForwardDecodeError('Forward mode takes [tag, entries, option?]', at);
    return event('forward', parseOption(value[2], at), () => readForwardMode(second));
  }

  if (second instanceof Uint8Array || typeof second === 'string') {
    if (value.length > 3) throw new ForwardDecodeError('PackedForward mode takes [tag, entries, option?]', at);
    const option = parseOption(value[2], at);
    let payload = second instanceof Uint8Array ? second : rawPayload(frame, decoders.rawStringDecoder);
    if (!isCompressed(option.compressed)) {
      return event('packed_forward', option, () => readPackedForwardMode(payload, decoders.decoder, at));
    }
    if (option.fluentSignal === FLUENT_SIGNAL_LOGS) payload = await decompressPayload(payload, maxDecompressedBytes, at);
    return event('compressed_packed_forward', option, () => readPackedForwardMode(payload, decoders.decoder, at), payload.length);
  }

  if (second instanceof EventTime || typeof second === 'number') {
    if (value.length < 3) throw new ForwardDecodeError('Message mode takes [tag, time, record, option?]', at);
    const option = parseOption(value[3], at);
    return event('message', option, () => readMessageMode(second, value[2], option));
  }

  throw new ForwardDecodeError('second element is neither a time, an entries array nor a packed payload', at);
}

function rawPayload(frame: Frame, rawStringDecoder: Decoder<undefined>): Uint8Array {
  const raw = decodeFrame(frame, rawStringDecoder) as unknown[];
  return raw[1] as Uint8Array;
}
