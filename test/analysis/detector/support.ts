/**
 * Builders for detector tests: records and windows from plain lines, and a
 * seeded PRNG (mulberry32) so "random" chatter is the same on every run.
 */
import { Random } from '../../../examples/demo/random.js';
import { levelFromMessage } from '../../../src/sources/normalize.js';
import type { Level, LogRecord } from '../../../src/sources/record.js';
import type { Window } from '../../../src/windows/window.js';

export const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);
export const MINUTE = 60_000;

export interface Line {
  message: string;
  level?: Level;
  /** Offset from the window start, ms. */
  at?: number;
}

export function makeWindow(start: number, lines: Array<string | Line>, stream = 'payments|web-1'): Window {
  const [service, host] = stream.split('|');
  const records: LogRecord[] = lines.map((l, i) => {
    const line = typeof l === 'string' ? { message: l } : l;
    const t = start + (line.at ?? i * 10);
    return {
      timestamp: t,
      observedAt: t,
      level: line.level ?? levelFromMessage(line.message),
      service,
      host,
      message: line.message,
      fields: {},
      source: 'http',
      size: 100,
    };
  });
  const end = records.reduce((m, r) => Math.max(m, r.timestamp), start);
  return { stream, service, host, start, end, records, lines: records.length, closedBy: 'time' };
}

/** A seeded uniform [0, 1) source: the demo scenario's mulberry32 generator. */
export function mulberry32(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** Integer in [lo, hi]. */
export function between(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/**
 * Steady production chatter: a few line shapes at stable rates with varying
 * values, including a trickle of WARN lines, as a healthy service logs.
 */
export function chatter(rng: () => number, n = 60): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng();
    const id = between(rng, 1000, 999_999);
    const ms = between(rng, 2, 900);
    if (r < 0.45) out.push(`INFO GET /api/orders/${id} 200 ${ms}ms`);
    else if (r < 0.7) out.push(`INFO POST /api/payments 201 ${ms}ms user=${id}`);
    else if (r < 0.85) out.push(`DEBUG cache hit key=order:${id}`);
    else if (r < 0.97) out.push(`INFO worker ${between(rng, 1, 8)} processed batch of ${between(rng, 1, 50)} events in ${ms}ms`);
    else out.push(`WARN slow query on orders took ${between(rng, 1000, 3000)}ms`);
  }
  return out;
}
