/**
 * Stream clocks: the one time model every signal works on (README "Time").
 *
 * Each stream has one time axis. In `arrival` mode it is Lookout's clock: a
 * record is placed at its own time when that lies within
 * `clock_tolerance_seconds` of its arrival, else at the nearest edge of that
 * tolerance (a backlog replay, a skewed host or local time written without an
 * offset still lands next to its arrival, so a 5 h old OutOfMemoryError is
 * counted now, not 5 h ago). In `event` mode the axis is the records' own
 * clock; a record older than its stream's open window is placed at the
 * window's start. Either way every record lies within its window's bounds
 * (an arrival-time window reaches back to its earliest placed record).
 *
 * Per stream, the skew (arrival minus the record's own time) is a running
 * estimate (EWMA); it is exported as a gauge, and in event mode it maps
 * Lookout's clock onto the stream's own (for silence). Records placed away
 * from their own time are counted, and logged once per stream.
 * Bounded: clocks are kept for at most `maxStreams` streams (LRU).
 */
import { LRUCache } from 'lru-cache';

export type Displacement = 'late' | 'early';

export interface ClockReport {
  /** A stream's skew estimate changed (ms, arrival minus event time); `undefined` when the stream was forgotten. */
  onSkew?(stream: string, skewMs: number | undefined): void;
  /** Records placed away from their own time; `first` is true once per stream (log it then). */
  onDisplaced?(stream: string, direction: Displacement, count: number, info: { lagMs: number; skewMs: number; first: boolean }): void;
}

interface StreamClock {
  skew: number;
  reported: boolean;
}

/** Weight of one record in the skew estimate: about the last hundred records count. */
const SKEW_ALPHA = 0.02;

export class StreamClocks {
  private readonly clocks: LRUCache<string, StreamClock>;

  constructor(
    maxStreams: number,
    private readonly report: ClockReport = {},
  ) {
    this.clocks = new LRUCache<string, StreamClock>({
      max: maxStreams,
      dispose: (_clock, stream, reason) => {
        if (reason === 'evict' || reason === 'delete') report.onSkew?.(stream, undefined);
      },
    });
  }

  /** Folds one record's lag into its stream's skew estimate and returns the clock. */
  observe(stream: string, eventTime: number, arrival: number): StreamClock {
    const lag = arrival - eventTime;
    let clock = this.clocks.get(stream);
    if (!clock) {
      clock = { skew: lag, reported: false };
      this.clocks.set(stream, clock);
    } else {
      clock.skew += SKEW_ALPHA * (lag - clock.skew);
    }
    return clock;
  }

  /** Reports displaced records of one stream (once per admitted batch and stream, to keep the hot path light). */
  displaced(stream: string, clock: StreamClock, direction: Displacement, count: number, lagMs: number): void {
    const first = !clock.reported;
    clock.reported = true;
    this.report.onDisplaced?.(stream, direction, count, { lagMs, skewMs: clock.skew, first });
  }

  published(stream: string, clock: StreamClock): void {
    this.report.onSkew?.(stream, clock.skew);
  }

  /** The stream's skew estimate (ms), 0 when it sent nothing yet. */
  skew(stream: string): number {
    return this.clocks.peek(stream)?.skew ?? 0;
  }
}

/** Arrival mode: the record's own time, clamped into [arrival - tolerance, arrival + tolerance]. */
export function placeByArrival(eventTime: number, arrival: number, toleranceMs: number): number {
  return Math.min(Math.max(eventTime, arrival - toleranceMs), arrival + toleranceMs);
}
