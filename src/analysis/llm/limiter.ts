/**
 * Bounded concurrency with a bounded wait queue, so a slow model holds at most
 * `concurrency` requests open and at most `queueSize` windows (and their
 * memory) waiting. A task that finds the queue full is refused at once with
 * QueueFullError; the caller falls back to the detector. FIFO order.
 */
import { QueueFullError } from './errors.js';

export class BoundedLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueSize: number,
    private readonly onDepth: (queued: number) => void = () => {},
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.queueSize) throw new QueueFullError(this.queueSize);
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        this.onDepth(this.waiting.length);
      });
      this.onDepth(this.waiting.length);
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` only drops when nobody waits.
      if (next) next();
      else this.active--;
    }
  }
}
