/**
 * Turns one complete msgpack object from a client into a heartbeat or an
 * EventMessage, dispatching on the carrier mode
 * (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#event-modes).
 * Anything else is a ForwardDecodeError: the connection is out of sync or not
 * speaking Forward, so the caller closes it. Chunks whose `fluent_signal` is
 * not logs are read no further (no decompression) and yield no events.
 *
 * Before anything is decoded the message is measured against its limits
 * (records, estimated decoded heap, nesting depth; decode_limits.ts): the
 * frame's msgpack headers first, then, for PackedForward, every entry of the
 * (decompressed) payload. A message over a limit is a MessageRefusedError,
 * which the connection acknowledges and drops.
 */
import { Decoder } from '@msgpack/msgpack';
import { DecodeBudget, DecodeLimitError, type DecodeLimits } from '../decode_limits.js';
import { EventTime, fluentExtensionCodec, isMap } from '../fluent_entry.js';
import { measureMsgpack, msgpackEnd, MsgpackShapeError } from '../msgpack_shape.js';
import { decompressPayload, isCompressed } from './compressed_packed_forward.js';
import { ForwardDecodeError, MessageRefusedError } from './errors.js';
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

/** `[tag, [[[time, meta], record]…], option]`: a Forward-mode record sits three levels down. */
const FRAME_LEVELS = 3;
/** A PackedForward payload is entries back to back: `[[time, meta], record]`. */
const ENTRY_LEVELS = 1;
/** An option map larger than this is not decoded to find a chunk id. */
const MAX_OPTION_BYTES = 64 * 1024;

export interface MessageLimits extends DecodeLimits {
  maxDecompressedBytes: number;
}

/** Runs a measurement; a limit passed becomes a MessageRefusedError, broken msgpack a ForwardDecodeError. */
function withinLimits<T>(at: number, measure: () => T): T {
  try {
    return measure();
  } catch (err) {
    if (err instanceof DecodeLimitError) throw new MessageRefusedError(err.kind === 'depth' ? 'too_deep' : 'too_large', `message: ${err.message}`, at);
    if (err instanceof MsgpackShapeError) throw new ForwardDecodeError(`not a whole msgpack stream: ${err.detail}`, at);
    throw err;
  }
}

/** Charges every entry of a PackedForward payload before it is decoded. */
function measureEntries(payload: Uint8Array, budget: DecodeBudget, at: number): void {
  withinLimits(at, () => {
    for (let pos = 0; pos < payload.length; ) {
      budget.addRecord(pos);
      pos = measureMsgpack(payload, pos, budget, ENTRY_LEVELS);
    }
  });
}

export async function readClientMessage(frame: Frame, decoders: TransportDecoders, limits: MessageLimits): Promise<ClientMessage> {
  const budget = new DecodeBudget(limits);
  withinLimits(frame.offset, () => measureMsgpack(frame.bytes, 0, budget, FRAME_LEVELS));
  const value = decodeFrame(frame, decoders.decoder);
  if (value === null) return { kind: 'heartbeat' };
  const at = frame.offset;
  if (!Array.isArray(value) || value.length < 2 || value.length > 4 || typeof value[0] !== 'string') {
    throw new ForwardDecodeError('expected a Forward message [tag, …] or nil', at);
  }
  const tag = value[0];
  const second: unknown = value[1];
  const event = (mode: EventMode, option: Option, read: () => EntryBatch): ClientMessage => ({
    kind: 'event',
    message: { mode, tag, option, batch: option.fluentSignal === FLUENT_SIGNAL_LOGS ? read() : NO_EVENTS, entryBytes: budget.bytes },
  });

  if (Array.isArray(second)) {
    if (value.length > 3) throw new ForwardDecodeError('Forward mode takes [tag, entries, option?]', at);
    withinLimits(at, () => budget.addRecord(0, second.length));
    return event('forward', parseOption(value[2], at), () => readForwardMode(second));
  }

  if (second instanceof Uint8Array || typeof second === 'string') {
    if (value.length > 3) throw new ForwardDecodeError('PackedForward mode takes [tag, entries, option?]', at);
    const option = parseOption(value[2], at);
    let payload = second instanceof Uint8Array ? second : rawPayload(frame, decoders.rawStringDecoder);
    if (option.fluentSignal !== FLUENT_SIGNAL_LOGS) return event(isCompressed(option.compressed) ? 'compressed_packed_forward' : 'packed_forward', option, () => NO_EVENTS);
    if (!isCompressed(option.compressed)) {
      measureEntries(payload, budget, at);
      return event('packed_forward', option, () => readPackedForwardMode(payload, at));
    }
    payload = await decompressPayload(payload, limits.maxDecompressedBytes, at);
    measureEntries(payload, budget, at);
    return event('compressed_packed_forward', option, () => readPackedForwardMode(payload, at));
  }

  if (second instanceof EventTime || typeof second === 'number') {
    if (value.length < 3) throw new ForwardDecodeError('Message mode takes [tag, time, record, option?]', at);
    const option = parseOption(value[3], at);
    withinLimits(at, () => budget.addRecord(0));
    return event('message', option, () => readMessageMode(second, value[2], option));
  }

  throw new ForwardDecodeError('second element is neither a time, an entries array nor a packed payload', at);
}

function rawPayload(frame: Frame, rawStringDecoder: Decoder<undefined>): Uint8Array {
  const raw = decodeFrame(frame, rawStringDecoder) as unknown[];
  return raw[1] as Uint8Array;
}

/**
 * The chunk id of a message that was framed but will not be decoded (it is
 * over a limit), read from its option map alone: the last element when the
 * second is entries or a payload (`[tag, entries, option]`), the fourth in
 * Message mode (`[tag, time, record, option]`).
 */
export function chunkIdOf(frame: Frame, decoder: Decoder<undefined>): string | undefined {
  const b = frame.bytes;
  const h = b[0];
  const count = h >= 0x90 && h <= 0x9f ? h & 0x0f : h === 0xdc && b.length >= 3 ? (b[1] << 8) | b[2] : 0;
  let pos = h === 0xdc ? 3 : 1;
  try {
    if (count < 3) return undefined;
    pos = msgpackEnd(b, pos);
    const second = b[pos];
    const carriesEntries = (second >= 0x90 && second <= 0xbf) || (second >= 0xc4 && second <= 0xc6) || (second >= 0xd9 && second <= 0xdd);
    const optionIndex = carriesEntries ? 2 : 3;
    if (count !== optionIndex + 1) return undefined;
    for (let i = 1; i < optionIndex; i++) pos = msgpackEnd(b, pos);
    const end = msgpackEnd(b, pos);
    if (end - pos > MAX_OPTION_BYTES) return undefined;
    const option = decoder.decode(b.subarray(pos, end));
    return isMap(option) && typeof option.chunk === 'string' ? option.chunk : undefined;
  } catch {
    return undefined;
  }
}
