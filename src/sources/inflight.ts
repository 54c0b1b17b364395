/**
 * Bytes held by what is still arriving on a source's connections (request
 * bodies being read, partial Forward messages), summed over all connections:
 * each connection is bounded on its own (max_body_bytes, max_message_bytes),
 * but fifty slow 16 MiB uploads are not, unless they share one cap.
 * A connection asks before it keeps more bytes and gives them back when the
 * body or message is done with (or dropped).
 */
export class InflightBytes {
  private held = 0;

  constructor(readonly limit: number) {}

  get bytes(): number {
    return this.held;
  }

  /** Takes `n` more bytes if they fit under the limit; false (and nothing taken) otherwise. */
  tryAcquire(n: number): boolean {
    if (this.held + n > this.limit) return false;
    this.held += n;
    return true;
  }

  release(n: number): void {
    this.held = Math.max(0, this.held - n);
  }
}
