import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { generateHeldOutDay } from '../../../examples/demo/heldout.js';
import { DetectorConfigSchema, type DetectorConfigInput } from '../../../src/analysis/detector/config.js';
import { foldRepeats } from '../../../src/analysis/detector/fold.js';
import type { Signal } from '../../../src/analysis/detector/signal.js';
import { newStreamState } from '../../../src/analysis/detector/stream_state.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

const HOUR = 60 * MINUTE;
const fold = DetectorConfigSchema.parse({}).fold;

const sig = (type: string, templates: string[], extra: Partial<Signal> = {}): Signal => ({
  type, templates, severity: 'medium', score: 0.5, summary: `${type} happened.`, evidence: [], recommended_action: 'Look.', ...extra,
});

describe('folding repeats of one incident', () => {
  it('folds the same actor within the horizon and emits another actor', () => {
    const state = newStreamState('s', 'auth', 'a-1');
    expect(foldRepeats(state, [sig('failed_authentication', ['t1'], { subjects: ['ip 45.1.2.3'] })], T0, fold)).toHaveLength(1);
    // The same address again, even as the other login finding and through another line shape: folded.
    expect(foldRepeats(state, [sig('invalid_user', ['t2'], { subjects: ['ip 45.1.2.3', 'user oracle'] })], T0 + 20 * MINUTE, fold)).toEqual([]);
    // A second address is a second finding.
    expect(foldRepeats(state, [sig('failed_authentication', ['t1'], { subjects: ['ip 194.2.3.4'] })], T0 + 25 * MINUTE, fold)).toHaveLength(1);
    // Each repeat kept the incident open: 55 minutes after the last sign it still folds…
    expect(foldRepeats(state, [sig('failed_authentication', ['t1'], { subjects: ['ip 45.1.2.3'] })], T0 + 75 * MINUTE, fold)).toEqual([]);
    // …and once the horizon passed without a sign, it is news again.
    expect(foldRepeats(state, [sig('failed_authentication', ['t1'], { subjects: ['ip 45.1.2.3'] })], T0 + 140 * MINUTE, fold)).toHaveLength(1);
  });

  it('folds a less specific finding about the same lines into a named failure, and emits a more specific one', () => {
    const state = newStreamState('s', 'orders', 'jvm-1');
    expect(foldRepeats(state, [sig('out_of_memory', ['oom', 'e500'], { severity: 'critical' })], T0, fold)).toHaveLength(1);
    expect(foldRepeats(state, [sig('error_rate', ['e500'], { severity: 'critical' })], T0 + 5 * MINUTE, fold)).toEqual([]);
    expect(foldRepeats(state, [sig('out_of_memory', ['oom'], { severity: 'critical' })], T0 + 10 * MINUTE, fold)).toEqual([]);
    // Unrelated lines are another incident.
    expect(foldRepeats(state, [sig('error_rate', ['db'], { severity: 'high' })], T0 + 10 * MINUTE, fold)).toHaveLength(1);
    const other = newStreamState('s2', 'orders', 'jvm-2');
    foldRepeats(other, [sig('rate_spike', ['e500'])], T0, fold);
    const [named] = foldRepeats(other, [sig('out_of_memory', ['oom', 'e500'])], T0 + 5 * MINUTE, fold);
    expect(named?.type).toBe('out_of_memory');
  });

  it('emits an escalation, and a reminder after max_hours, saying since when and how many repeats were folded', () => {
    const state = newStreamState('s', 'auth', 'a-1');
    const bf = (severity: Signal['severity']) => sig('failed_authentication', ['t1'], { severity, subjects: ['ip 45.1.2.3'] });
    foldRepeats(state, [bf('medium')], T0, fold);
    expect(foldRepeats(state, [bf('medium')], T0 + 30 * MINUTE, fold)).toEqual([]);
    const [up] = foldRepeats(state, [bf('high')], T0 + 50 * MINUTE, fold);
    expect(up.summary).toBe(`Ongoing since ${new Date(T0).toISOString()} (1 repeat folded): failed_authentication happened.`);
    let t = T0 + 50 * MINUTE;
    let emitted: Signal[] = [];
    for (let i = 0; i < 12 && emitted.length === 0; i++) {
      t += 30 * MINUTE;
      emitted = foldRepeats(state, [bf('high')], t, fold);
    }
    expect(t - (T0 + 50 * MINUTE)).toBe(fold.max_hours * HOUR);
    expect(emitted[0].summary).toMatch(/^Ongoing since .* \(7 repeats folded\): /);
  });

  it('folds nothing with fold.minutes 0, and rejects a negative horizon', () => {
    const state = newStreamState('s', 'auth', 'a-1');
    const off = DetectorConfigSchema.parse({ fold: { minutes: 0 } }).fold;
    for (let i = 0; i < 3; i++) expect(foldRepeats(state, [sig('timeout', ['t'])], T0 + i * MINUTE, off)).toHaveLength(1);
    expect(DetectorConfigSchema.safeParse({ fold: { minutes: -1 } }).success).toBe(false);
    expect(DetectorConfigSchema.safeParse({ fold: { max_hours: 0 } }).success).toBe(false);
  });

  it('keeps open incidents across a save and load of the baselines', async () => {
    const { StreamStates } = await import('../../../src/analysis/detector/stream_state.js');
    const states = new StreamStates(10);
    const state = states.obtain('s', 'auth', 'a-1');
    foldRepeats(state, [sig('failed_authentication', ['t1'], { subjects: ['ip 45.1.2.3'] })], T0, fold);
    const loaded = StreamStates.fromJSON(JSON.parse(JSON.stringify(states.toJSON())), 10).obtain('s', 'auth', 'a-1');
    expect(foldRepeats(loaded, [sig('failed_authentication', ['t1'], { subjects: ['ip 45.1.2.3'] })], T0 + 10 * MINUTE, fold)).toEqual([]);
  });
});

describe('an ongoing incident through the analyzer', () => {
  /** The held-out day's sshd stream (examples/demo/heldout.ts) through the analyzer in five-minute windows. */
  async function sshdDay(day: ReturnType<typeof generateHeldOutDay>, cfg: DetectorConfigInput) {
    const analyzer = new EmbeddedAnalyzer(cfg, { rng: () => 1 });
    const byBox = new Map<number, Array<{ message: string; at: number }>>();
    for (const e of day.events) {
      if (e.service !== 'sshd') continue;
      const t = Date.parse(e.timestamp);
      const box = Math.floor(t / (5 * MINUTE)) * 5 * MINUTE;
      const lines = byBox.get(box) ?? [];
      lines.push({ message: e.message, at: t - box });
      byBox.set(box, lines);
    }
    const found = [];
    for (const [box, lines] of byBox) found.push(...(await analyzer.analyze(makeWindow(box, lines, 'sshd|bastion-1'))).anomalies.map((a) => ({ box, a })));
    const inc = day.incidents.find((i) => i.kind === 'credential_stuffing')!;
    const during = found.filter(({ box }) => box + 5 * MINUTE >= Date.parse(inc.start) && box <= Date.parse(inc.end));
    return { during, all: found };
  }

  it('reports credential stuffing once per attacking address, not in every window it crosses the bar', { timeout: 60_000 }, async () => {
    for (const seed of [101, 303]) {
      const day = generateHeldOutDay(seed);
      const folded = await sshdDay(day, {});
      expect(folded.during.length).toBeGreaterThanOrEqual(1);
      expect(folded.during.length).toBeLessThanOrEqual(2);
      for (const { a } of folded.during) expect(['failed_authentication', 'invalid_user']).toContain(a.type);
      expect(folded.during.map(({ a }) => a.summary).join(' ')).toMatch(/address (45\.155|194\.26)\.\d+\.\d+ \(outside\)/);
      // Scanners' scattered attempts the rest of the day stay quiet.
      expect(folded.all.filter(({ a }) => a.severity !== 'low').length).toBe(folded.during.length);
      // Without folding the same run raises more alarms: what the pager would have shown.
      expect((await sshdDay(day, { fold: { minutes: 0 } })).during.length).toBeGreaterThan(folded.during.length);
    }
  });

  it('gives one anomaly for an OutOfMemoryError that also lifts the error rate for four windows', async () => {
    const rng = mulberry32(5);
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    const found = [];
    for (let w = 0; w < 16; w++) {
      const lines = chatter(rng, 60);
      if (w >= 12) {
        for (let i = 0; i < 12; i++) {
          lines.push(`ERROR [exec-${i}] Servlet.service() threw exception: java.lang.OutOfMemoryError: Java heap space`);
          lines.push(`ERROR [exec-${i}] POST /orders failed status=500 order=${w * 100 + i}`);
        }
      }
      found.push(...(await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines))).anomalies);
    }
    expect(found.map((a) => [a.type, a.severity])).toEqual([['out_of_memory', 'critical']]);
  });
});
