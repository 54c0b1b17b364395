/**
 * Hourly token budget over a rolling hour, kept as 60 one-minute buckets so
 * memory stays constant however many windows go by. Once prompt + completion
 * tokens in the last hour reach the limit, windows are analysed by the
 * detector alone until older minutes roll off. A limit of 0 means unlimited.
 */

const MINUTE_MS = 60_000;
const BUCKETS = 60;

export class TokenBudget {
  private readonly buckets = new Map<number, number>();

  constructor(
    private readonly limitPerHour: number,
    private readonly now: () => number,
  ) {}

  exhausted(): boolean {
    return this.limitPerHour > 0 && this.used() >= this.limitPerHour;
  }

  spend(tokens: number): void {
    if (tokens <= 0) return;
    const minute = Math.floor(this.now() / MINUTE_MS);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + tokens);
    this.prune(minute);
  }

  /** Tokens spent in the last hour. */
  used(): number {
    const minute = Math.floor(this.now() / MINUTE_MS);
    this.prune(minute);
    let sum = 0;
    for (const tokens of this.buckets.values()) sum += tokens;
    return sum;
  }

  private prune(currentMinute: number): void {
    for (const minute of this.buckets.keys()) if (minute <= currentMinute - BUCKETS) this.buckets.delete(minute);
  }
}
