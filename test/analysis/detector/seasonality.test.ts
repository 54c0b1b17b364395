import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { MINUTE, between, chatter, makeWindow, mulberry32 } from './support.js';

const DAY0 = Date.UTC(2024, 4, 1, 0, 0, 0);
/** Traffic by hour of day: 1 at 04:00, 5 at 14:00. */
const curve = (hour: number) => 1 + 4 * Math.max(0, Math.cos(((hour - 14) / 20) * 2 * Math.PI)) ** 2;

/**
 * A day of five-minute windows: chatter following the daily curve, an export job that bursts every five minutes
 * (with jitter, so a window may hold none or two bursts), and a 40-line report at the top of every hour.
 * `extra(w)` adds lines to window w.
 */
async function day(extra: (w: number) => string[] = () => []) {
  const rng = mulberry32(17);
  const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
  const found: Array<{ w: number; type: string; severity: string; summary: string }> = [];
  let nextBurst = 2 * MINUTE;
  for (let w = 0; w < 288; w++) {
    const start = DAY0 + w * 5 * MINUTE;
    const lines: Array<{ message: string; at: number }> = chatter(rng, Math.round(15 * curve(w / 12))).map((message) => ({ message, at: between(rng, 0, 299_999) }));
    while (nextBurst < (w + 1) * 5 * MINUTE) {
      const at = nextBurst - w * 5 * MINUTE;
      const run = between(rng, 1000, 9999);
      for (let i = 0; i < 20; i++) lines.push({ message: `INFO export run ${run} partition ${i} wrote ${between(rng, 10, 900)} rows`, at: Math.min(299_999, at + i * 100) });
      nextBurst += 5 * MINUTE + between(rng, -90_000, 90_000);
    }
    if (w % 12 === 0) {
      for (let i = 0; i < 40; i++) lines.push({ message: `INFO report region=r${i % 8} orders=${between(rng, 0, 400)} revenue=${between(rng, 0, 9000)}.00 EUR`, at: 30_000 + i * 20 });
    }
    for (const message of extra(w)) lines.push({ message, at: between(rng, 0, 299_999) });
    lines.sort((a, b) => a.at - b.at);
    const r = await analyzer.analyze(makeWindow(start, lines, 'shop|web-1'));
    for (const a of r.anomalies) found.push({ w, type: a.type, severity: a.severity, summary: a.summary });
  }
  return found;
}

describe('seasonality-aware baselines', () => {
  it('stays quiet through periodic bursts, an hourly report and a 5x daily cycle', async () => {
    const found = await day();
    expect(found.filter((a) => a.severity !== 'low')).toEqual([]);
  });

  it('still catches a real spike of one line shape at the daily peak', async () => {
    const retries = (w: number) => (w === 170 ? Array.from({ length: 120 }, (_, i) => `WARN retrying call to ledger attempt ${i % 3}`) : w % 6 === 0 ? ['WARN retrying call to ledger attempt 1'] : []);
    const found = await day(retries);
    const spikes = found.filter((a) => a.severity !== 'low');
    expect(spikes.map((a) => [a.w, a.type])).toEqual([[170, 'rate_spike']]);
    expect(spikes[0].summary).toMatch(/^"WARN retrying call to ledger attempt <num>" in shop on web-1 jumped to 120 lines/);
  });
});
