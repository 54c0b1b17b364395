/** Errors of the shard pool, naming the shard they concern. */
export class ShardError extends Error {
  constructor(
    readonly shard: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`analysis shard ${shard}: ${message}`, options);
    this.name = 'ShardError';
  }
}
