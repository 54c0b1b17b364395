/**
 * Walks the type headers of one msgpack object
 * (https://github.com/msgpack/msgpack/blob/master/spec.md) without decoding
 * it: where it ends, and what decoding it would cost. Used before every
 * msgpack decode of client bytes (HTTP application/msgpack bodies, Forward
 * messages and PackedForward payloads), so an array32 header declaring four
 * billion elements, 40 million empty maps in a few kilobytes of gzip, or a
 * value nested thousands deep is refused before anything is decoded
 * (./msgpack_value.ts, or @msgpack/msgpack for Forward frames).
 *
 * Each container is charged CONTAINER_COST plus MEMBER_COST per element (the
 * whole declared count at once, so a lying header is refused at once), each
 * str/bin/ext its payload length, through the DecodeBudget. Depth counts
 * containers, minus `wrapperLevels` that belong to the envelope (a Fluent
 * entry `[[time, meta], record]` puts the record one level down).
 */
import { CONTAINER_COST, MEMBER_COST, type DecodeBudget } from './decode_limits.js';

/** The bytes are not a complete msgpack object: truncated, or 0xc1 (never used). */
export class MsgpackShapeError extends Error {
  constructor(
    readonly detail: string,
    /** Offset of the byte at fault. */
    readonly offset: number,
  ) {
    super(detail);
    this.name = 'MsgpackShapeError';
  }
}

class Truncated extends Error {}

// Length fields after the head byte at `pos`. Module functions, not closures per call: this runs for every value of every message.
function need(b: Uint8Array, pos: number, n: number): void {
  if (pos + n > b.length) throw new Truncated();
}
const u8 = (b: Uint8Array, pos: number): number => (need(b, pos, 2), b[pos + 1]);
const u16 = (b: Uint8Array, pos: number): number => (need(b, pos, 3), (b[pos + 1] << 8) | b[pos + 2]);
const u32 = (b: Uint8Array, pos: number): number => (need(b, pos, 5), ((b[pos + 1] << 24) >>> 0) + ((b[pos + 2] << 16) | (b[pos + 3] << 8) | b[pos + 4]));

/** [header bytes, payload bytes] of a head byte that is not a container; undefined for 0xc1. */
function scalarExtent(b: Uint8Array, pos: number): [number, number] | undefined {
  const h = b[pos];
  if (h <= 0x7f || h >= 0xe0 || h === 0xc0 || h === 0xc2 || h === 0xc3) return [1, 0];
  if (h >= 0xa0 && h <= 0xbf) return [1, h & 0x1f];
  switch (h) {
    case 0xc4: case 0xd9: return [2, u8(b, pos)]; // bin8, str8
    case 0xc5: case 0xda: return [3, u16(b, pos)]; // bin16, str16
    case 0xc6: case 0xdb: return [5, u32(b, pos)]; // bin32, str32
    case 0xc7: return [3, u8(b, pos)]; // ext8
    case 0xc8: return [4, u16(b, pos)]; // ext16
    case 0xc9: return [6, u32(b, pos)]; // ext32
    case 0xcc: case 0xd0: return [2, 0];
    case 0xcd: case 0xd1: return [3, 0];
    case 0xca: case 0xce: case 0xd2: return [5, 0];
    case 0xcb: case 0xcf: case 0xd3: return [9, 0];
    case 0xd4: return [2, 1]; // fixext1
    case 0xd5: return [2, 2];
    case 0xd6: return [2, 4];
    case 0xd7: return [2, 8]; // fixext8: EventTime
    case 0xd8: return [2, 16];
    default: return undefined;
  }
}

/** Elements of the container whose head byte is at `pos` (map entries count twice), and its header size; undefined for a scalar. */
function containerExtent(b: Uint8Array, pos: number): [number, number] | undefined {
  const h = b[pos];
  if (h >= 0x80 && h <= 0x8f) return [1, 2 * (h & 0x0f)];
  if (h >= 0x90 && h <= 0x9f) return [1, h & 0x0f];
  if (h === 0xdc || h === 0xde) {
    if (pos + 3 > b.length) throw new Truncated();
    return [3, ((b[pos + 1] << 8) | b[pos + 2]) * (h === 0xde ? 2 : 1)];
  }
  if (h === 0xdd || h === 0xdf) {
    if (pos + 5 > b.length) throw new Truncated();
    return [5, (((b[pos + 1] << 24) >>> 0) + ((b[pos + 2] << 16) | (b[pos + 3] << 8) | b[pos + 4])) * (h === 0xdf ? 2 : 1)];
  }
  return undefined;
}

/** Offset just past the msgpack object starting at `start`; charges `budget` as it goes. */
export function measureMsgpack(b: Uint8Array, start: number, budget: DecodeBudget, wrapperLevels: number): number {
  /** Elements still to read in each open container, innermost last. */
  const open: number[] = [];
  let pos = start;
  try {
    do {
      if (pos >= b.length) throw new Truncated();
      const container = containerExtent(b, pos);
      if (container) {
        const [header, elements] = container;
        budget.checkDepth(open.length + 1 - wrapperLevels, pos);
        budget.charge(CONTAINER_COST + elements * MEMBER_COST, pos);
        pos += header;
        if (elements > 0) {
          open.push(elements);
          continue;
        }
      } else {
        const extent = scalarExtent(b, pos);
        if (!extent) throw new MsgpackShapeError('invalid type byte 0xc1', pos);
        const [header, payload] = extent;
        if (payload > 0) budget.charge(payload, pos);
        pos += header + payload;
      }
      // A value is complete: close every container it completes.
      while (open.length > 0 && --open[open.length - 1] === 0) open.pop();
    } while (open.length > 0);
    if (pos > b.length) throw new Truncated();
    return pos;
  } catch (err) {
    if (err instanceof Truncated) throw new MsgpackShapeError(`object starting at byte ${start} is truncated`, Math.min(pos, b.length));
    throw err;
  }
}

/**
 * Offset just past the msgpack object at `start`, counting pending elements
 * only (constant memory, no limits): for stepping over elements whose cost is
 * already known to be bounded, such as the parts of a framed message.
 */
export function msgpackEnd(b: Uint8Array, start: number): number {
  let pos = start;
  try {
    for (let pending = 1; pending > 0; pending--) {
      if (pos >= b.length) throw new Truncated();
      const container = containerExtent(b, pos);
      if (container) {
        pos += container[0];
        pending += container[1];
      } else {
        const extent = scalarExtent(b, pos);
        if (!extent) throw new MsgpackShapeError('invalid type byte 0xc1', pos);
        pos += extent[0] + extent[1];
      }
    }
    if (pos > b.length) throw new Truncated();
    return pos;
  } catch (err) {
    if (err instanceof Truncated) throw new MsgpackShapeError(`object starting at byte ${start} is truncated`, Math.min(pos, b.length));
    throw err;
  }
}
