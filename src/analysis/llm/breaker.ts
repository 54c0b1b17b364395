/**
 * Circuit breaker (https://martinfowler.com/bliki/CircuitBreaker.html) around
 * the model endpoint: after `failures` consecutive failed requests it opens and
 * windows skip the model for `cooldown` ms; then one probe request is let
 * through (half-open), which closes the breaker on success or opens it again.
 * The clock is injected so tests move time instead of waiting.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export interface BreakerOptions {
  failures: number;
  cooldownMs: number;
  now: () => number;
  onStateChange?: (state: BreakerState) => void;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';

  constructor(private readonly opts: BreakerOptions) {}

  get state(): BreakerState {
    if (this.current === 'open' && this.opts.now() - this.openedAt >= this.opts.cooldownMs) this.transition('half_open');
    return this.current;
  }

  /** Whether a window may queue for the model at all (does not claim the half-open probe). */
  isOpen(): boolean {
    return this.state === 'open';
  }

  /** Claims the right to send one request now. In half-open only one probe is in flight at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.transition('closed');
  }

  onFailure(): void {
    this.failures++;
    const wasProbe = this.probing;
    this.probing = false;
    if (wasProbe || (this.current === 'closed' && this.failures >= this.opts.failures)) {
      this.openedAt = this.opts.now();
      this.transition('open');
    }
  }

  private transition(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    this.opts.onStateChange?.(state);
  }
}
