import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import type { DetectorConfigInput } from '../../../src/analysis/detector/config.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

describe('rare template signal', () => {
  it('flags a known but rare shape when it returns after a long absence', async () => {
    const rng = mulberry32(5);
    const analyzer = new EmbeddedAnalyzer({ warmup_windows: 3, rare: { max_share: 0.002, min_stream_lines: 500, max_chance: 0.01 } });
    const rare = (n: number) => `WARN certificate rotation check deferred for node ${n}`;
    // Seen once in the first window, then 6,000 ordinary lines.
    await analyzer.analyze(makeWindow(T0, [...chatter(rng, 20), rare(1)]));
    for (let w = 1; w <= 300; w++) await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 20)));
    const result = await analyzer.analyze(makeWindow(T0 + 301 * MINUTE, [...chatter(rng, 20), rare(2)]));
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ type: 'rare_template', severity: 'low' });
    expect(result.anomalies[0].evidence).toEqual([rare(2)]);
    expect(result.anomalies[0].summary).toMatch(/1 earlier out of/);
  });

  it('needs enough stream history before shares count', async () => {
    const rng = mulberry32(5);
    const analyzer = new EmbeddedAnalyzer({ warmup_windows: 3 });
    await analyzer.analyze(makeWindow(T0, [...chatter(rng, 50), 'WARN odd but known line 1']));
    for (let w = 1; w < 4; w++) await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 50)));
    // 200 lines seen, below the default min_stream_lines of 1000.
    const result = await analyzer.analyze(makeWindow(T0 + 4 * MINUTE, [...chatter(rng, 50), 'WARN odd but known line 2']));
    expect(result.anomalies).toEqual([]);
  });

  /** Eight hours of 100-line five-minute windows with one benign WARN each hour: a 0.08% share, below rare.max_share. */
  async function hourly(cfg: DetectorConfigInput): Promise<number> {
    const rng = mulberry32(23);
    const analyzer = new EmbeddedAnalyzer(cfg, { rng: () => 1 });
    const line = (n: number) => `WARN payments call slow (${1300 + n}ms), retrying once rid=${(0xabc000 + n).toString(16)}`;
    let rare = 0;
    for (let w = 0; w < 96; w++) {
      const lines = chatter(rng, 100);
      if (w % 12 === 7) lines.splice(50, 0, line(w));
      const r = await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines));
      rare += r.anomalies.filter((a) => a.type === 'rare_template').length;
    }
    return rare;
  }

  it('does not call a line rare that recurs at its usual pace, however low its share', async () => {
    expect(await hourly({})).toBe(0);
    // Judged by share alone, the same line would alarm on most of its returns.
    // (Repeats not folded, so each return counts: fold.ts would make them one finding.)
    expect(await hourly({ rare: { max_chance: 1 }, fold: { minutes: 0 } })).toBeGreaterThanOrEqual(5);
  });

  it('flags a burst of a low-share line that is usually seen one at a time', async () => {
    const rng = mulberry32(31);
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    const line = (n: number) => `WARN psp request retry 1/3 for payment ${5_500_000 + n} after 502 Bad Gateway`;
    for (let w = 0; w < 60; w++) {
      const lines = chatter(rng, 100);
      if (w % 12 === 5) lines.splice(50, 0, line(w));
      expect((await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines))).anomalies).toEqual([]);
    }
    const burst = [1, 2, 3, 4].map(line);
    const result = await analyzer.analyze(makeWindow(T0 + 60 * 5 * MINUTE, [...chatter(rng, 100), ...burst]));
    expect(result.anomalies.map((a) => a.type)).toEqual(['rare_template']);
    expect(result.anomalies[0].summary).toMatch(/5 earlier out of/);
  });
});
