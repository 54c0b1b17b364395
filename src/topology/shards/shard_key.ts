/**
 * Which shard owns a stream: FNV-1a (32-bit, http://www.isthe.com/chongo/tech/comp/fnv/)
 * of the stream key's UTF-16 code units, modulo the shard count.
 *
 * Guarantees: a pure function of (stream key, shard count), identical in every
 * process and on every machine, so a stream's windows always reach the same
 * shard and a shard's snapshot can be handed to another process that will
 * then receive exactly the streams it describes.
 */
export const SHARD_HASH = 'fnv1a32-utf16';

export function shardOf(stream: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) {
    h ^= stream.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}
