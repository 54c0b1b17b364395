import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

describe('rare template signal', () => {
  it('flags a known but rare shape when it returns, and not a common one', async () => {
    const rng = mulberry32(5);
    const analyzer = new EmbeddedAnalyzer({ warmup_windows: 3, rare: { max_share: 0.002, min_stream_lines: 500 } });
    const rare = (n: number) => `WARN certificate rotation check deferred for node ${n}`;
    // Seen once in the first window, then 2,000 ordinary lines.
    await analyzer.analyze(makeWindow(T0, [...chatter(rng, 100), rare(1)]));
    for (let w = 1; w < 20; w++) await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 100)));
    const result = await analyzer.analyze(makeWindow(T0 + 20 * MINUTE, [...chatter(rng, 100), rare(2)]));
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
});
