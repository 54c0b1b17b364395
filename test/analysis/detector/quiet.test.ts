import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

describe('a normal production stream', () => {
  it('raises nothing on steady chatter after its warm-up, with default settings', async () => {
    const rng = mulberry32(7);
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    const late: number[] = [];
    for (let w = 0; w < 60; w++) {
      const result = await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 40 + Math.floor(rng() * 40))));
      if (w >= analyzer.config.warmup_windows) late.push(result.anomalies.length);
      expect(result.anomalies).toEqual([]);
      expect(result.health).toBe('normal');
      expect(result.gate).toMatchObject({ send: false, reason: 'below' });
    }
    expect(late.length).toBe(50);
  });

  it('stays quiet across several streams sharing one miner', async () => {
    const rng = mulberry32(11);
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    let anomalies = 0;
    for (let w = 0; w < 30; w++) {
      for (const stream of ['payments|web-1', 'payments|web-2', 'orders|web-1']) {
        anomalies += (await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 50), stream))).anomalies.length;
      }
    }
    expect(anomalies).toBe(0);
    expect(analyzer.streams).toBe(3);
  });
});
