/**
 * Bounds on what one HTTP request or one Forward message may build while it is
 * decoded, shared by both sources: records, estimated heap bytes of the
 * decoded values, and nesting depth.
 *
 * Wire bytes say little about heap: `{}` is 2 bytes of JSON and 64 bytes of
 * V8 heap, an msgpack fixmap 1 byte. So the decoders walk a body's structure
 * before materializing it (json_shape.ts, msgpack_shape.ts) and charge every
 * container and member at a measured per-object cost, refusing the moment a
 * limit is passed, before JSON.parse or the msgpack decoder allocate anything.
 * The same estimate is what a record is charged against the window buffer.
 *
 * Depth is bounded because later stages (JSON.stringify of a nested message,
 * prompt rendering, sinks) recurse, and V8 throws RangeError past a few
 * thousand levels: a value that deep could never be analysed, so it is refused
 * up front rather than failing after it was acknowledged.
 */

/** Per request (HTTP) or per message (Forward). */
export interface DecodeLimits {
  maxRecords: number;
  /** Estimated heap bytes of everything decoded (see CONTAINER_COST, MEMBER_COST). */
  maxDecodedBytes: number;
  /** Containers nested inside one record (`{}` is depth 1). */
  maxDepth: number;
}

/**
 * Heap cost estimates, measured with `node --expose-gc` on Node 20 (x64, no
 * pointer compression): an empty object from JSON.parse takes 64 bytes, an
 * empty array 40, a member slot 8-16, a short string ~16 plus its characters.
 * A value's text length is charged on top, which covers string contents.
 */
export const CONTAINER_COST = 64;
export const MEMBER_COST = 16;

export type DecodeLimitKind = 'records' | 'decoded_bytes' | 'depth';

export class DecodeLimitError extends Error {
  constructor(
    readonly kind: DecodeLimitKind,
    readonly limit: number,
    /** Byte (or character, for text) offset in the decoded body where the limit was passed. */
    readonly offset: number,
  ) {
    super(
      kind === 'records'
        ? `more than ${limit} records`
        : kind === 'decoded_bytes'
          ? `decoded values would take more than ${limit} bytes of memory`
          : `a record is nested more than ${limit} levels deep`,
    );
    this.name = 'DecodeLimitError';
  }
}

/** Running totals of one request or message; throws DecodeLimitError as soon as a limit is passed. */
export class DecodeBudget {
  records = 0;
  bytes = 0;

  constructor(readonly limits: DecodeLimits) {}

  addRecord(offset: number, count = 1): void {
    this.records += count;
    if (this.records > this.limits.maxRecords) throw new DecodeLimitError('records', this.limits.maxRecords, offset);
  }

  charge(bytes: number, offset: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxDecodedBytes) throw new DecodeLimitError('decoded_bytes', this.limits.maxDecodedBytes, offset);
  }

  checkDepth(depth: number, offset: number): void {
    if (depth > this.limits.maxDepth) throw new DecodeLimitError('depth', this.limits.maxDepth, offset);
  }
}
