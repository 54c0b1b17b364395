import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { DetectorConfigSchema, type DetectorConfigInput } from '../../../src/analysis/detector/config.js';
import { rateChangeSignals } from '../../../src/analysis/detector/rate_change.js';
import { newStreamState, updateStreamState } from '../../../src/analysis/detector/stream_state.js';
import { summarizeWindow } from '../../../src/analysis/detector/window_summary.js';
import { MINUTE, T0, between, chatter, makeWindow, mulberry32 } from './support.js';

const retry = (rng: () => number) => `INFO retrying upstream call to ledger attempt ${between(rng, 1, 3)} id=${between(rng, 1, 1e6)}`;

/** Steady chatter plus `k` retry lines per window for `windows` windows. */
async function baseline(k: number, windows = 12, cfg: DetectorConfigInput = {}) {
  const rng = mulberry32(21);
  const analyzer = new EmbeddedAnalyzer({ warmup_windows: 5, ...cfg });
  for (let w = 0; w < windows; w++) {
    const lines = [...chatter(rng, 60), ...Array.from({ length: k }, () => retry(rng))];
    expect((await analyzer.analyze(makeWindow(T0 + w * MINUTE, lines))).anomalies).toEqual([]);
  }
  return { analyzer, rng, next: T0 + windows * MINUTE };
}

describe('rate change signal', () => {
  it('flags a template far above its moving baseline', async () => {
    const { analyzer, rng, next } = await baseline(3);
    const burst = Array.from({ length: 60 }, () => retry(rng));
    const result = await analyzer.analyze(makeWindow(next, [...chatter(rng, 60), ...burst]));
    expect(result.anomalies).toHaveLength(1);
    const [a] = result.anomalies;
    expect(a).toMatchObject({ type: 'rate_spike', severity: 'medium' });
    expect(a.summary).toMatch(/jumped to 60 lines from about 3\.0 per window/);
    expect(a.evidence.length).toBeGreaterThan(0);
    for (const line of a.evidence) expect(burst).toContain(line);
  });

  it('does not alarm on tiny counts thanks to the floor and minimum count', async () => {
    const { analyzer, rng, next } = await baseline(1);
    // 1 → 6 is a large z on a near-constant baseline, but only 6 lines.
    const result = await analyzer.analyze(makeWindow(next, [...chatter(rng, 60), ...Array.from({ length: 6 }, () => retry(rng))]));
    expect(result.anomalies).toEqual([]);
  });

  it('does not alarm on a small-mean jump that z alone would pass but a day of tests makes routine', async () => {
    // Mean 4 → 12: z = (12 − 4) / 2 = 4, 12 lines, 3× the mean, yet P(Poisson(4) ≥ 12) ≈ 1e-3.
    const jump = async (cfg: DetectorConfigInput) => {
      const { analyzer, rng, next } = await baseline(4, 12, cfg);
      return (await analyzer.analyze(makeWindow(next, [...chatter(rng, 60), ...Array.from({ length: 12 }, () => retry(rng))]))).anomalies;
    };
    expect(await jump({})).toEqual([]);
    // The same window passes every other test: only the chance check holds it back.
    expect((await jump({ rate: { max_chance: 1 } })).map((a) => a.type)).toEqual(['rate_spike']);
  });

  it('flags a small-mean template jumping far enough to be improbable', async () => {
    const { analyzer, rng, next } = await baseline(4);
    const result = await analyzer.analyze(makeWindow(next, [...chatter(rng, 60), ...Array.from({ length: 40 }, () => retry(rng))]));
    expect(result.anomalies.map((a) => a.type)).toEqual(['rate_spike']);
    expect(result.anomalies[0].summary).toMatch(/jumped to 40 lines from about 4\.0 per window/);
  });

  it('flags a busy template that stops while the stream keeps logging', async () => {
    const { analyzer, rng, next } = await baseline(30);
    const result = await analyzer.analyze(makeWindow(next, chatter(rng, 90)));
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ type: 'rate_drop', severity: 'medium', evidence: [] });
    expect(result.anomalies[0].summary).toMatch(/fell to 0 lines from about 30\.0/);
  });

  it('holds a drop back when it is not improbable enough under the baseline', async () => {
    // P(Poisson(30) = 0) = e^-30 ≈ 1e-13: alarms at the default, not when asked for less than that.
    const { analyzer, rng, next } = await baseline(30, 12, { rate: { max_chance: 1e-14 } });
    expect((await analyzer.analyze(makeWindow(next, chatter(rng, 90)))).anomalies).toEqual([]);
  });

  /** Rate signals for a window of `surge` error lines, after ten windows with `usual` error lines each. */
  function errorWindow(usual: number, surge: number) {
    const cfg = DetectorConfigSchema.parse({ warmup_windows: 3 });
    const state = newStreamState('api|h', 'api', 'h');
    const rng = mulberry32(2);
    const matches = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `t${i % 7}`, template: `x${i % 7}`, tokens: [] }));
    for (let w = 0; w < 10; w++) {
      const lines = [...chatter(rng, 40), ...Array.from({ length: usual }, () => 'ERROR one occasional failure')];
      const win = makeWindow(T0 + w * MINUTE, lines);
      const s = summarizeWindow(win, matches(lines.length));
      updateStreamState(state, { start: win.start, lines: s.total, errors: s.errors, arrival: s.arrival, templates: new Map(s.templates.map((t) => [t.id, t.count])) }, cfg.ewma_alpha, 100);
    }
    const errors = Array.from({ length: surge }, (_, i) => `ERROR upstream ledger refused connection ${i}`);
    const lines = [...chatter(rng, 40), ...errors];
    const win = makeWindow(T0 + 10 * MINUTE, lines);
    // Error lines get their own template id so the per-template check is not what fires.
    const ms = lines.map((l, i) => (l.startsWith('ERROR') ? { id: 'terr', template: 'ERROR upstream ledger refused connection <*>', tokens: l.split(' ') } : matches(lines.length)[i]));
    return { errors, signals: rateChangeSignals({ summary: summarizeWindow(win, ms), state, cfg, text: (id) => id }) };
  }

  it('flags error lines as a whole far above their baseline', () => {
    const { errors, signals } = errorWindow(1, 25);
    const err = signals.find((s) => s.type === 'error_rate');
    expect(err).toBeDefined();
    expect(err!.severity).toBe('high');
    expect(err!.templates).toContain('terr');
    expect(errors).toContain(err!.evidence[0]);
  });

  it('holds error lines to the same improbability as templates', () => {
    expect(errorWindow(4, 40).signals.map((s) => s.type)).toContain('error_rate');
    // 4 → 12 passes z, count and ratio but is a 1-in-1,000 event.
    expect(errorWindow(4, 12).signals.map((s) => s.type)).not.toContain('error_rate');
  });

  it('flags a warning that keeps coming a few a window, judged on its run against the baseline from before it', async () => {
    const disk = (pct: number) => `WARNING: filesystem /data is ${pct}% full`;
    const run = async (extra: (w: number) => string[]) => {
      const rng = mulberry32(43);
      const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
      const found: Array<{ w: number; type: string; severity: string; summary: string }> = [];
      for (let w = 0; w < 60; w++) {
        const lines = [...chatter(rng, 40), ...extra(w)];
        // Now and then a single warning, as a log volume near its rotation gives.
        if (w % 20 === 9) lines.push(disk(86));
        for (const a of (await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, 'diskwatch|db-2'))).anomalies) found.push({ w, type: a.type, severity: a.severity, summary: a.summary });
      }
      return found;
    };
    // From window 50 the warning comes every minute: five a window, too few to spike on their own.
    const found = await run((w) => (w >= 50 ? [90, 91, 92, 93, 94].map((p) => disk(p + (w - 50))) : []));
    expect(found.map((a) => [a.w, a.type])).toEqual([[51, 'rate_spike']]);
    expect(found[0].summary).toMatch(/has kept coming for 3 windows in a row, 11 lines against about one every \d+ windows/);
    // An INFO line at the same pace is the stream's business (at most a low new line shape), not a warning that keeps coming.
    const info = await run((w) => (w >= 50 ? Array.from({ length: 5 }, (_, i) => `INFO filesystem /data checked ${i}`) : []));
    expect(info.filter((a) => a.severity !== 'low' || a.type === 'rate_spike')).toEqual([]);
    // A warning that always comes as a run over three windows (an hourly job's retries) is judged against its runs.
    const hourly = await run((w) => (w % 12 < 3 ? Array.from({ length: 6 }, (_, i) => `WARN export job retrying part ${i}`) : []));
    expect(hourly.filter((a) => a.type === 'rate_spike')).toEqual([]);
  });
});
