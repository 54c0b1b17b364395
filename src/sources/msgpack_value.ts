/**
 * Decodes msgpack values (https://github.com/msgpack/msgpack/blob/master/spec.md)
 * from bytes that `measureMsgpack` (./msgpack_shape.ts) has already walked and
 * charged: every length read here lies inside the buffer, and the record,
 * byte and depth limits were checked before the first value is built. It is
 * the decoder of PackedForward entries and HTTP msgpack bodies, where
 * @msgpack/msgpack's general streaming decoder cost about 1.5 µs per Fluent
 * Bit entry, with its garbage over a third of Forward's main thread: that
 * decoder re-checks every length the measuring pass just
 * checked, keeps an explicit state stack, and builds short strings one UTF-16
 * unit at a time in JavaScript.
 *
 * Values come out as @msgpack/msgpack (with `fluentExtensionCodec`) gives
 * them, which a differential test holds it to: nil as null, 64-bit integers
 * as (possibly rounded) numbers, bin as a Buffer of its own, maps as
 * plain objects whose keys must be strings or numbers and never `__proto__`
 * (a DecodeError otherwise), ext types through the same ExtensionCodec
 * (EventTime for Fluent's type 0). One deliberate difference: a str that is
 * not valid UTF-8 decodes with U+FFFD replacement characters at any length,
 * where @msgpack/msgpack did so only past 200 bytes.
 */
import { DecodeError } from '@msgpack/msgpack';
import { EVENT_TIME_EXT_TYPE, eventTimeAt, fluentExtensionCodec } from './fluent_entry.js';

/** Map keys are few and repeat in every record: each distinct key is decoded once and its string reused. */
const MAX_CACHED_KEY_BYTES = 32;
const MAX_KEYS_PER_LENGTH = 16;
const keyCache: Array<Array<{ bytes: Buffer; text: string }>> = Array.from({ length: MAX_CACHED_KEY_BYTES + 1 }, () => []);

/** Whether `b[start, start + n)` equals `key` (n bytes long); a loop beats a native call for keys this short. */
function sameBytes(key: Buffer, b: Buffer, start: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (key[i] !== b[start + i]) return false;
  return true;
}

export class MeasuredMsgpackReader {
  private readonly view: DataView;
  /** Offset of the next value. */
  pos: number;

  private readonly b: Buffer;

  /**
   * `bytes` is read in place (a Buffer view over it when it is a plain Uint8Array). No value returned is a view
   * of it: bin and ext data are copied, so a decoded record never pins a whole payload in memory, and the caller
   * may reuse `bytes` (a pooled HTTP body) as soon as decoding is done.
   */
  constructor(bytes: Uint8Array, start = 0) {
    this.b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.b.length;
  }

  /** The value at `pos`; `pos` moves past it. */
  value(): unknown {
    const b = this.b;
    const h = b[this.pos++];
    if (h <= 0x7f) return h;
    if (h >= 0xe0) return h - 0x100;
    if (h >= 0xa0 && h <= 0xbf) return this.str(h & 0x1f);
    if (h >= 0x90 && h <= 0x9f) return this.array(h & 0x0f);
    if (h >= 0x80 && h <= 0x8f) return this.map(h & 0x0f);
    const v = this.view;
    const at = this.pos;
    switch (h) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bin(this.len(1));
      case 0xc5: return this.bin(this.len(2));
      case 0xc6: return this.bin(this.len(4));
      case 0xc7: return this.ext(this.len(1));
      case 0xc8: return this.ext(this.len(2));
      case 0xc9: return this.ext(this.len(4));
      case 0xca: this.pos += 4; return v.getFloat32(at);
      case 0xcb: this.pos += 8; return v.getFloat64(at);
      case 0xcc: this.pos += 1; return b[at];
      case 0xcd: this.pos += 2; return v.getUint16(at);
      case 0xce: this.pos += 4; return v.getUint32(at);
      case 0xcf: this.pos += 8; return v.getUint32(at) * 4294967296 + v.getUint32(at + 4);
      case 0xd0: this.pos += 1; return v.getInt8(at);
      case 0xd1: this.pos += 2; return v.getInt16(at);
      case 0xd2: this.pos += 4; return v.getInt32(at);
      case 0xd3: this.pos += 8; return v.getInt32(at) * 4294967296 + v.getUint32(at + 4);
      case 0xd4: return this.ext(1);
      case 0xd5: return this.ext(2);
      case 0xd6: return this.ext(4);
      case 0xd7: return this.ext(8);
      case 0xd8: return this.ext(16);
      case 0xd9: return this.str(this.len(1));
      case 0xda: return this.str(this.len(2));
      case 0xdb: return this.str(this.len(4));
      case 0xdc: return this.array(this.len(2));
      case 0xdd: return this.array(this.len(4));
      case 0xde: return this.map(this.len(2));
      case 0xdf: return this.map(this.len(4));
      default: throw new DecodeError(`Unrecognized type byte: 0x${h.toString(16)}`);
    }
  }

  /** A big-endian length field of `bytes` bytes at `pos`. */
  private len(bytes: 1 | 2 | 4): number {
    const at = this.pos;
    this.pos += bytes;
    return bytes === 1 ? this.b[at] : bytes === 2 ? this.view.getUint16(at) : this.view.getUint32(at);
  }

  private str(bytes: number): string {
    const start = this.pos;
    this.pos += bytes;
    // No encoding argument: Buffer#toString then goes straight to UTF-8, without looking the encoding up.
    return this.b.toString(undefined, start, this.pos);
  }

  private bin(bytes: number): Buffer {
    const start = this.pos;
    this.pos += bytes;
    return Buffer.from(this.b.subarray(start, this.pos));
  }

  private ext(bytes: number): unknown {
    const type = this.view.getInt8(this.pos);
    const start = this.pos + 1;
    this.pos = start + bytes;
    // Every entry has an EventTime: read it in place rather than through a Buffer view and the codec.
    if (type === EVENT_TIME_EXT_TYPE && bytes === 8) return eventTimeAt(this.view, start);
    return fluentExtensionCodec.decode(Buffer.from(this.b.subarray(start, this.pos)), type, undefined);
  }

  private array(size: number): unknown[] {
    const out = new Array<unknown>(size);
    for (let i = 0; i < size; i++) out[i] = this.value();
    return out;
  }

  private map(size: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      const key = this.key();
      out[key] = this.value();
    }
    return out;
  }

  private key(): string | number {
    const key = this.shortStr() ?? this.value();
    if (key === '__proto__') throw new DecodeError('The key __proto__ is not allowed');
    if (typeof key !== 'string' && typeof key !== 'number') throw new DecodeError(`The type of key must be string or number but ${typeof key}`);
    return key;
  }

  /** A str of at most MAX_CACHED_KEY_BYTES at `pos`, its string shared with every earlier key of the same bytes; else undefined, `pos` unmoved. */
  private shortStr(): string | undefined {
    const h = this.b[this.pos];
    const bytes = h >= 0xa0 && h <= 0xbf ? h & 0x1f : h === 0xd9 ? this.b[this.pos + 1] : -1;
    if (bytes < 0 || bytes > MAX_CACHED_KEY_BYTES) return undefined;
    const start = this.pos + (h === 0xd9 ? 2 : 1);
    this.pos = start + bytes;
    const cached = keyCache[bytes];
    for (const k of cached) if (sameBytes(k.bytes, this.b, start, bytes)) return k.text;
    const text = this.b.toString(undefined, start, this.pos);
    if (cached.length < MAX_KEYS_PER_LENGTH) cached.push({ bytes: Buffer.from(this.b.subarray(start, this.pos)), text });
    return text;
  }
}
