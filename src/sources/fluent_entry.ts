/**
 * Fluent entries and EventTime, shared by the Forward source and the HTTP
 * source's `application/msgpack` format (Fluent Bit's raw chunk).
 *
 * Spec: Forward protocol v1 (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1),
 * EventTime = msgpack ext type 0 with 8 bytes: uint32 BE seconds + uint32 BE nanoseconds.
 * Entries come in the classic `[time, record]` shape (Fluentd, Fluent Bit < 5.0.5,
 * `time_as_integer`) and Fluent Bit's metadata shape `[[time, metadata], record]`
 * (the default since 5.0.5); both are accepted. Fluent Bit group markers
 * (seconds 0xFFFFFFFF / 0xFFFFFFFE) carry no log and are reported as such.
 */
import { ExtensionCodec } from '@msgpack/msgpack';

export const EVENT_TIME_EXT_TYPE = 0;
const GROUP_START_SECONDS = 0xffffffff;
const GROUP_END_SECONDS = 0xfffffffe;

export class EventTime {
  constructor(
    readonly seconds: number,
    readonly nanoseconds: number,
  ) {}

  toMillis(): number {
    return this.seconds * 1000 + this.nanoseconds / 1e6;
  }

  static fromMillis(ms: number): EventTime {
    const seconds = Math.floor(ms / 1000);
    return new EventTime(seconds, Math.round((ms - seconds * 1000) * 1e6));
  }
}

export class EventTimeError extends Error {
  constructor(readonly length: number) {
    super(`EventTime ext must hold 8 bytes, got ${length}`);
    this.name = 'EventTimeError';
  }
}

/** The EventTime whose 8 bytes start at `offset`: uint32 BE seconds, uint32 BE nanoseconds. */
export function eventTimeAt(view: DataView, offset: number): EventTime {
  return new EventTime(view.getUint32(offset), view.getUint32(offset + 4));
}

/** msgpack extension codec that decodes ext type 0 into EventTime and encodes EventTime back. */
export const fluentExtensionCodec = new ExtensionCodec();
fluentExtensionCodec.register({
  type: EVENT_TIME_EXT_TYPE,
  encode: (value: unknown) => {
    if (!(value instanceof EventTime)) return null;
    const buf = new Uint8Array(8);
    const view = new DataView(buf.buffer);
    view.setUint32(0, value.seconds);
    view.setUint32(4, value.nanoseconds);
    return buf;
  },
  decode: (data: Uint8Array) => {
    if (data.length !== 8) throw new EventTimeError(data.length);
    return eventTimeAt(new DataView(data.buffer, data.byteOffset, data.byteLength), 0);
  },
});

/** A Forward time: integer (or, from Fluent Bit's forward entries, float) seconds, or EventTime. Returns epoch ms. */
export function fluentTimeToMillis(time: unknown): number | undefined {
  if (time instanceof EventTime) return time.toMillis();
  if (typeof time === 'number' && Number.isFinite(time) && time >= 0) return time * 1000;
  if (typeof time === 'bigint') return Number(time) * 1000;
  return undefined;
}

export type FluentEntry =
  | { kind: 'event'; timeMs: number; metadata: Readonly<Record<string, unknown>>; record: Record<string, unknown> }
  | { kind: 'group_marker' };

/** Shared by every entry without metadata (most of them), so none allocates its own empty map. */
const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

export class EntryShapeError extends Error {
  constructor(readonly detail: string) {
    super(`malformed Fluent entry: ${detail}`);
    this.name = 'EntryShapeError';
  }
}

/** A decoded msgpack map: a plain object (not an array, bin, EventTime or other class instance). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Reads one entry in either shape. A record that is not a map is wrapped as
 * `{log: value}`, as Fluent Bit does in its own JSON output.
 */
export function parseFluentEntry(entry: unknown): FluentEntry {
  if (!Array.isArray(entry) || entry.length < 2) throw new EntryShapeError('expected a 2-element array [time, record]');
  let [head, record] = entry as [unknown, unknown];
  let metadata: Readonly<Record<string, unknown>> = NO_METADATA;
  if (Array.isArray(head)) {
    if (head.length < 1) throw new EntryShapeError('empty [time, metadata] header');
    const [t, meta] = head as [unknown, unknown];
    if (meta !== undefined && meta !== null && !isMap(meta)) throw new EntryShapeError('metadata is not a map');
    metadata = (meta as Record<string, unknown> | undefined) ?? NO_METADATA;
    head = t;
  }
  if (head instanceof EventTime && (head.seconds === GROUP_START_SECONDS || head.seconds === GROUP_END_SECONDS)) {
    return { kind: 'group_marker' };
  }
  const timeMs = fluentTimeToMillis(head);
  if (timeMs === undefined) throw new EntryShapeError(`time is neither an integer nor EventTime (got ${typeof head})`);
  if (!isMap(record)) record = { log: record };
  return { kind: 'event', timeMs, metadata, record: record as Record<string, unknown> };
}
