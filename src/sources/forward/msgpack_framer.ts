/**
 * Splits a TCP byte stream into whole msgpack objects (https://github.com/msgpack/msgpack/blob/master/spec.md).
 *
 * The Forward protocol is an unframed stream of msgpack objects, and Fluent Bit
 * writes one message's header, entries and options in separate `write()`s, so
 * a message may arrive in any number of pieces. The framer only walks type
 * headers (it decodes nothing) and resumes where it stopped when more bytes
 * come, so a large message delivered in small pieces costs linear time.
 * Guarantees: every frame is exactly one complete object; the bytes handed out
 * in a frame are never written to again; an incomplete object never holds more
 * than `maxObjectBytes` (+ one read) in memory.
 */
import { ForwardDecodeError, ForwardSourceError, MessageTooLargeError } from './errors.js';

export interface Frame {
  bytes: Uint8Array;
  /** Stream offset of the frame's first byte. */
  offset: number;
}

const MIN_GROWTH = 64 * 1024;

/** Size of the length field that follows the type byte of bin, ext, str, array32/16 and map32/16. */
const LENGTH_FIELD_BYTES: Readonly<Record<number, number>> = {
  0xc4: 1, 0xc5: 2, 0xc6: 4, // bin
  0xc7: 1, 0xc8: 2, 0xc9: 4, // ext (then one ext-type byte)
  0xd9: 1, 0xda: 2, 0xdb: 4, // str
  0xdc: 2, 0xdd: 4, // array
  0xde: 2, 0xdf: 4, // map
};

/** Fixed extra bytes after the type byte, for the types whose header size does not depend on the payload. */
function fixedLength(type: number): number | undefined {
  if (type <= 0x7f || type >= 0xe0 || type === 0xc0 || type === 0xc2 || type === 0xc3) return 0;
  switch (type) {
    case 0xcc: case 0xd0: return 1;
    case 0xcd: case 0xd1: return 2;
    case 0xca: case 0xce: case 0xd2: return 4;
    case 0xcb: case 0xcf: case 0xd3: return 8;
    case 0xd4: return 2;
    case 0xd5: return 3;
    case 0xd6: return 5;
    case 0xd7: return 9;
    case 0xd8: return 17;
    default: return undefined;
  }
}

export class MsgpackFramer {
  private buf: Uint8Array = new Uint8Array(0);
  private len = 0;
  /** Start of the object being scanned, within buf. */
  private start = 0;
  /** Next type byte to read; may run past `len` while a str/bin/ext payload is still arriving. */
  private pos = 0;
  /** Objects still to scan before the current top-level object is complete. */
  private remaining = 1;
  /** Stream offset of buf[0]. */
  private base = 0;

  constructor(private readonly maxObjectBytes: number) {}

  /** Bytes held for the object not yet complete. */
  get pendingBytes(): number {
    return this.len - this.start;
  }

  /** Stream offset of the incomplete object (or of the next one). */
  get offset(): number {
    return this.base + this.start;
  }

  /** Memory kept for the incomplete object: the whole buffer it sits in (which grows by doubling), 0 when there is none. */
  get heldBytes(): number {
    return this.len > this.start ? this.buf.length : 0;
  }

  /**
   * Adds bytes from the stream and returns the objects they complete. When the
   * stream turns bad, the objects completed before the bad byte are still
   * returned, with the error; the framer must not be used after an error.
   */
  push(chunk: Uint8Array): { frames: Frame[]; error?: ForwardSourceError } {
    this.append(chunk);
    const frames: Frame[] = [];
    try {
      while (this.start < this.len) {
        if (!this.scan()) {
          if (this.len - this.start > this.maxObjectBytes) {
            throw new MessageTooLargeError(this.len - this.start, this.maxObjectBytes, this.base + this.start);
          }
          break;
        }
        frames.push({ bytes: this.buf.subarray(this.start, this.pos), offset: this.base + this.start });
        this.start = this.pos;
        this.remaining = 1;
      }
    } catch (err) {
      if (!(err instanceof ForwardSourceError)) throw err;
      return { frames, error: err };
    }
    return { frames };
  }

  private append(chunk: Uint8Array): void {
    const pending = this.len - this.start;
    if (pending === 0) {
      // Nothing carried over: scan the chunk in place, no copy.
      this.base += this.len;
      this.buf = chunk;
      this.len = chunk.length;
      this.pos -= this.start;
      this.start = 0;
      return;
    }
    if (this.len + chunk.length > this.buf.length) {
      // Copy into a new buffer rather than compacting: frames already handed out still point into the old one.
      const grown = new Uint8Array(Math.max(2 * (pending + chunk.length), MIN_GROWTH));
      grown.set(this.buf.subarray(this.start, this.len));
      this.base += this.start;
      this.pos -= this.start;
      this.buf = grown;
      this.len = pending;
      this.start = 0;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  /** Advances over type headers; true once the current object is complete. */
  private scan(): boolean {
    const b = this.buf;
    while (this.remaining > 0) {
      if (this.pos >= this.len) return false;
      const at = this.pos;
      const type = b[at];
      let header: number;
      let payload = 0;
      let children = 0;
      const fixed = fixedLength(type);
      if (fixed !== undefined) {
        header = 1 + fixed;
      } else if (type >= 0x80 && type <= 0x8f) {
        header = 1;
        children = 2 * (type & 0x0f);
      } else if (type >= 0x90 && type <= 0x9f) {
        header = 1;
        children = type & 0x0f;
      } else if (type >= 0xa0 && type <= 0xbf) {
        header = 1;
        payload = type & 0x1f;
      } else {
        const size = this.sizedHeader(type, at);
        if (size === undefined) return false;
        [header, payload, children] = size;
      }
      this.pos = at + header + payload;
      this.remaining += children - 1;
      if (this.pos - this.start > this.maxObjectBytes) {
        throw new MessageTooLargeError(this.pos - this.start, this.maxObjectBytes, this.base + this.start);
      }
    }
    return this.pos <= this.len;
  }

  /** [header bytes, payload bytes, child objects] for types with a length field; undefined when the length field is incomplete. */
  private sizedHeader(type: number, at: number): [number, number, number] | undefined {
    const n = LENGTH_FIELD_BYTES[type];
    if (n === undefined) {
      throw new ForwardDecodeError(`byte 0x${type.toString(16).padStart(2, '0')} is not a msgpack type`, this.base + at);
    }
    const isExt = type >= 0xc7 && type <= 0xc9;
    const header = 1 + n + (isExt ? 1 : 0);
    if (at + header > this.len) return undefined;
    let size = 0;
    for (let i = 1; i <= n; i++) size = size * 256 + this.buf[at + i];
    if (type === 0xdc || type === 0xdd) return [header, 0, size];
    if (type === 0xde || type === 0xdf) return [header, 0, 2 * size];
    return [header, size, 0];
  }
}
