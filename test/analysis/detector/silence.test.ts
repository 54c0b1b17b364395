import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import type { SilenceClock } from '../../../src/analysis/detector/silence.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

/** Every stream's clock reads `now`; `open` gives the latest time in a stream's open window. */
function at(now: number, open: Record<string, number> = {}): SilenceClock {
  return { streamNow: () => now, openUntil: (stream) => open[stream] };
}

async function steady(analyzer: EmbeddedAnalyzer, windows: number, stream = 'payments|web-1', lines = 40) {
  const rng = mulberry32(8);
  for (let w = 0; w < windows; w++) await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, lines), stream));
  return T0 + (windows - 1) * MINUTE;
}

describe('silence signal', () => {
  it('reports a usually busy stream that stopped, once, with an empty window', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const last = await steady(analyzer, 15);
    const lastArrival = last + 39 * 10;
    expect(await analyzer.checkSilence(at(lastArrival + 2 * MINUTE))).toEqual([]);
    const results = await analyzer.checkSilence(at(lastArrival + 6 * MINUTE));
    expect(results).toHaveLength(1);
    const [r] = results;
    expect(r.window).toMatchObject({ stream: 'payments|web-1', service: 'payments', host: 'web-1', records: [], start: lastArrival, end: lastArrival + 6 * MINUTE });
    expect(r.anomalies).toHaveLength(1);
    expect(r.anomalies[0]).toMatchObject({ type: 'silence', severity: 'medium', evidence: [], detector: 'embedded' });
    expect(r.anomalies[0].summary).toMatch(/no logs for 6 minutes/);
    expect(r.health).toBe('degraded');
    expect(r.gate?.send).toBe(true);
    expect(r.view).toContain('silence');
    expect(await analyzer.checkSilence(at(lastArrival + 20 * MINUTE))).toEqual([]);
  });

  it('re-arms when the stream logs again', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const last = await steady(analyzer, 15);
    expect(await analyzer.checkSilence(at(last + 10 * MINUTE))).toHaveLength(1);
    const back = last + 11 * MINUTE;
    await analyzer.analyze(makeWindow(back, chatter(mulberry32(1), 40)));
    expect(await analyzer.checkSilence(at(back + MINUTE))).toEqual([]);
    expect(await analyzer.checkSilence(at(back + 30 * MINUTE))).toHaveLength(1);
  });

  it('counts the records still in the open window as the stream logging', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const last = await steady(analyzer, 15);
    expect(await analyzer.checkSilence(at(last + 10 * MINUTE, { 'payments|web-1': last + 9 * MINUTE }))).toEqual([]);
    expect(await analyzer.checkSilence(at(last + 10 * MINUTE))).toHaveLength(1);
  });

  it('reports a silence that already ended in the window that resumes the stream (history, event time)', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const last = await steady(analyzer, 15);
    const back = last + 31 * MINUTE;
    const result = await analyzer.analyze(makeWindow(back, chatter(mulberry32(1), 40)));
    const silence = result.anomalies.filter((a) => a.type === 'silence');
    expect(silence).toHaveLength(1);
    expect(silence[0].summary).toMatch(/sent no logs for 31 minutes, from .* to /);
    // reported once: the live check does not repeat it, and the next window does not either
    expect(await analyzer.checkSilence(at(back + MINUTE))).toEqual([]);
    const next = await analyzer.analyze(makeWindow(back + MINUTE, chatter(mulberry32(2), 40)));
    expect(next.anomalies.filter((a) => a.type === 'silence')).toEqual([]);
  });

  it('does not report a stream that keeps its usual pace', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const last = await steady(analyzer, 30);
    const result = await analyzer.analyze(makeWindow(last + MINUTE, chatter(mulberry32(3), 40)));
    expect(result.anomalies.filter((a) => a.type === 'silence')).toEqual([]);
  });

  it('ignores streams still warming up or that hardly log', async () => {
    const analyzer = new EmbeddedAnalyzer();
    await steady(analyzer, 5, 'young|h1');
    const last = await steady(analyzer, 15, 'sparse|h2', 2);
    expect(await analyzer.checkSilence(at(last + 60 * MINUTE))).toEqual([]);
  });
});
