/**
 * Back-pressure bookkeeping for the window buffer: who is waiting for room,
 * how to share freed room fairly, and how long a refused sender should wait.
 *
 * Fair share: while the buffer is full, every sender refused recently (a
 * Forward connection, an HTTP client address) is a contender. Freed room is
 * reserved for every contender that has taken fewer records since
 * contention began than the sender asking now (whether it is waiting for a
 * retry or about to send again): as much as it is behind, at least its next
 * batch, at most half the buffer in all. The sender asking may
 * only use room beyond those reservations (Forward keeps its message
 * unacknowledged; HTTP gets 429). So a Forward connection woken the instant
 * room frees cannot starve HTTP senders that come back after Retry-After, yet
 * the rest of the buffer keeps flowing while they are away. An empty buffer
 * takes any batch that fits, so reservations never deadlock. A contender
 * is forgotten when it has not sent for twice the last Retry-After it was
 * given (plus a second).
 *
 * Retry-After is the expected wait: the records that must leave the buffer
 * before the batch fits, plus one such batch for every other waiting sender
 * ahead of it, over the rate analysis has been releasing records.
 */

interface Contender {
  /** Records admitted since contention began. */
  taken: number;
  /** Size of the batch it was last refused, which room is reserved for. */
  records: number;
  bytes: number;
  /** Refused and not admitted since. */
  waiting: boolean;
  /** The last Retry-After it was given, seconds. */
  retryAfterSeconds: number;
  /** Forgotten after this time (epoch ms) unless it sends again. */
  expires: number;
}

/** Release events kept for the drain rate: enough to smooth bursts of windows closing together. */
const RATE_SAMPLES = 64;
const MIN_RETRY_SECONDS = 1;
const MAX_RETRY_SECONDS = 60;

export class Pressure {
  private readonly contenders = new Map<string, Contender>();
  private readonly releases: Array<{ at: number; records: number }> = [];

  constructor(
    private readonly now: () => number,
    /** Retry-After before any release was measured. */
    private readonly fallbackRetrySeconds: number,
  ) {}

  /** Room held for other senders that have taken fewer records than `sender` (they go first), at most `cap` records. */
  reservedAgainst(sender: string | undefined, cap: number): { records: number; bytes: number } {
    const held = { records: 0, bytes: 0 };
    this.expire();
    const mine = this.contenders.get(sender ?? '')?.taken ?? 0;
    for (const [other, c] of this.contenders) {
      if (other === (sender ?? '') || c.taken >= mine) continue;
      const records = Math.min(Math.max(c.records, mine - c.taken), cap - held.records);
      if (records <= 0) break;
      held.records += records;
      held.bytes += c.records > 0 ? (c.bytes * records) / c.records : 0;
    }
    return held;
  }

  /** Any sender refused recently and not admitted since: the buffer is pushing back. */
  get pushingBack(): boolean {
    this.expire();
    for (const c of this.contenders.values()) if (c.waiting) return true;
    return false;
  }

  refused(sender: string | undefined, retryAfterSeconds: number, records: number, bytes: number): void {
    const key = sender ?? '';
    const c = this.contenders.get(key) ?? { taken: 0, records, bytes, waiting: true, retryAfterSeconds, expires: 0 };
    c.waiting = true;
    c.records = records;
    c.bytes = bytes;
    c.retryAfterSeconds = retryAfterSeconds;
    c.expires = this.now() + 2 * retryAfterSeconds * 1000 + 1000;
    this.contenders.set(key, c);
  }

  admitted(sender: string | undefined, records: number, bytes: number): void {
    const c = this.contenders.get(sender ?? '');
    if (!c) return;
    c.taken += records;
    c.records = records;
    c.bytes = bytes;
    c.waiting = false;
    c.expires = this.now() + 2 * c.retryAfterSeconds * 1000 + 1000;
  }

  released(records: number): void {
    this.releases.push({ at: this.now(), records });
    if (this.releases.length > RATE_SAMPLES) this.releases.shift();
  }

  /** Seconds until a batch of `records` should fit, given `excess` records to be freed first. */
  retryAfterSeconds(records: number, excess: number, sender: string | undefined): number {
    const rate = this.drainRate();
    if (rate === undefined) return this.fallbackRetrySeconds;
    let ahead = 0;
    this.expire();
    for (const [other, c] of this.contenders) if (other !== (sender ?? '') && c.waiting) ahead++;
    const seconds = (Math.max(excess, 0) + ahead * records) / rate;
    return Math.min(MAX_RETRY_SECONDS, Math.max(MIN_RETRY_SECONDS, Math.ceil(seconds)));
  }

  /** Records released per second over the recent releases; undefined before two were seen. */
  private drainRate(): number | undefined {
    if (this.releases.length < 2) return undefined;
    const span = (this.now() - this.releases[0].at) / 1000;
    if (span <= 0) return undefined;
    let records = 0;
    for (let i = 1; i < this.releases.length; i++) records += this.releases[i].records;
    return records / span;
  }

  private expire(): void {
    const now = this.now();
    for (const [key, c] of this.contenders) if (c.expires < now) this.contenders.delete(key);
  }
}
