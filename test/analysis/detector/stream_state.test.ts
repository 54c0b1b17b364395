import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { StreamStates, ewmaInit, ewmaUpdate, newStreamState, updateStreamState, zScore } from '../../../src/analysis/detector/stream_state.js';
import { MINUTE, T0, makeWindow } from './support.js';

function counts(entries: Array<[string, number]>, errors = 0) {
  const templates = new Map(entries);
  const lines = entries.reduce((s, [, n]) => s + n, 0);
  return { start: T0, lines, errors, arrival: T0, templates };
}

describe('stream state', () => {
  it('tracks an EWMA mean and variance that converge on a steady series', () => {
    const e = ewmaInit(10);
    for (let i = 0; i < 200; i++) ewmaUpdate(e, i % 2 === 0 ? 8 : 12, 0.1);
    expect(e.mean).toBeGreaterThan(9.5);
    expect(e.mean).toBeLessThan(10.5);
    expect(Math.sqrt(e.variance)).toBeGreaterThan(1.5);
    expect(Math.sqrt(e.variance)).toBeLessThan(2.5);
  });

  it('floors the spread of a z-score', () => {
    expect(zScore(ewmaInit(1), 5, 2)).toBe(2);
    expect(zScore(ewmaInit(100), 140, 2)).toBe(4);
  });

  it('caps template baselines per stream, keeping the busiest', () => {
    const s = newStreamState('a|b', 'a', 'b');
    updateStreamState(s, counts([['busy', 50], ['mid', 10]]), 0.1, 3);
    for (let i = 0; i < 20; i++) updateStreamState(s, counts([['busy', 50], [`once${i}`, 1]]), 0.1, 3);
    expect(s.templates.size).toBe(3);
    expect(s.templates.has('busy')).toBe(true);
    expect(s.templates.has('once19')).toBe(true);
    expect(s.totalLines).toBe(60 + 20 * 51);
  });

  it('keeps only the newest vocabulary matches it needs', async () => {
    const analyzer = new EmbeddedAnalyzer({ vocabulary: [{ name: 'denied', pattern: 'denied', severity: 'low', threshold: 3, span_minutes: 1, action: 'x' }] });
    // Two matches per window, a minute apart: never three inside the span, and never more than three kept.
    for (let w = 0; w < 50; w++) {
      const r = await analyzer.analyze(makeWindow(T0 + w * 2 * MINUTE, ['access denied 1', 'access denied 2']));
      expect(r.anomalies).toEqual([]);
    }
    const saved = JSON.parse(JSON.stringify((analyzer as unknown as { states: StreamStates }).states.toJSON()));
    expect(saved[0].vocab[0][1].length).toBeLessThanOrEqual(3);
  });

  it('evicts the least recently analysed stream beyond max_streams', async () => {
    const analyzer = new EmbeddedAnalyzer({ max_streams: 3, warmup_windows: 1 });
    for (const s of ['a|1', 'b|1', 'c|1']) await analyzer.analyze(makeWindow(T0, ['INFO hello there 1'], s));
    await analyzer.analyze(makeWindow(T0 + MINUTE, ['INFO hello there 2'], 'a|1'));
    await analyzer.analyze(makeWindow(T0 + MINUTE, ['INFO hello there 3'], 'd|1'));
    expect(analyzer.streams).toBe(3);
    // b was evicted: its next window is its first again (still warming up), while a, kept, knows its baseline.
    const b = await analyzer.analyze(makeWindow(T0 + 2 * MINUTE, ['ERROR totally different shape now'], 'b|1'));
    expect(b.anomalies).toEqual([]);
    const a = await analyzer.analyze(makeWindow(T0 + 2 * MINUTE, ['ERROR totally different shape now'], 'a|1'));
    expect(a.anomalies.map((x) => x.type)).toEqual(['new_template']);
  });

  it('round-trips through JSON in recency order', () => {
    const states = new StreamStates(2);
    const a = states.obtain('a|1', 'a', '1');
    updateStreamState(a, counts([['t1', 5]]), 0.1, 10);
    a.vocab.set('timeout', [[1, 1], [2, 3]]);
    a.vocabPast.set('timeout', 7);
    states.obtain('b|1', 'b', '1');
    const copy = StreamStates.fromJSON(JSON.parse(JSON.stringify(states.toJSON())), 2);
    expect(copy.size).toBe(2);
    expect(copy.peek('a|1')?.templates.get('t1')?.total).toBe(5);
    expect(copy.peek('a|1')?.vocab.get('timeout')).toEqual([[1, 1], [2, 3]]);
    expect(copy.peek('a|1')?.vocabPast.get('timeout')).toBe(7);
    expect(copy.peek('a|1')?.firstTime).toBe(T0);
    copy.obtain('c|1', 'c', '1');
    expect(copy.peek('a|1')).toBeUndefined();
    expect(copy.peek('b|1')).toBeDefined();
    expect(() => StreamStates.fromJSON([{ stream: 1 }], 2)).toThrow();
  });

  it('loads state saved before vocabulary matches were bucketed', () => {
    const states = new StreamStates(2);
    updateStreamState(states.obtain('a|1', 'a', '1'), counts([['t1', 5]]), 0.1, 10);
    const [saved] = JSON.parse(JSON.stringify(states.toJSON()));
    const { vocabPast: _past, firstTime: _first, ...older } = { ...saved, vocab: [['timeout', [1, 2]]] };
    const loaded = StreamStates.fromJSON([older], 2).peek('a|1');
    expect(loaded?.vocab.get('timeout')).toEqual([[1, 1], [2, 1]]);
    expect(loaded?.vocabPast.size).toBe(0);
    expect(loaded?.firstTime).toBe(0);
  });
});
