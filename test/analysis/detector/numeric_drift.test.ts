import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { StreamStates } from '../../../src/analysis/detector/stream_state.js';
import { keyedValue, numberIn, numericSlots, numericValues } from '../../../src/analysis/detector/params.js';
import { tokenize } from '../../../src/analysis/templates/tokenize.js';
import { MINUTE, T0, between, chatter, makeWindow, mulberry32 } from './support.js';

/** Log-normal around `median` (sigma 0.35), from a seeded source. */
function logNormal(rng: () => number, median: number): number {
  const u = Math.max(1e-9, rng());
  const v = rng();
  return Math.round(median * Math.exp(0.35 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
}

/** Six hours of five-minute windows; `factor(minute)` multiplies the measured values. */
async function run(line: (rng: () => number, factor: number) => string, factor: (minute: number) => number, perWindow = 20) {
  const rng = mulberry32(3);
  const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
  const found: Array<{ w: number; type: string; severity: string; summary: string; templates: string[] }> = [];
  for (let w = 0; w < 72; w++) {
    const lines = chatter(rng, 20);
    for (let i = 0; i < perWindow; i++) lines.push(line(rng, factor(w * 5 + i * (5 / perWindow))));
    const r = await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, 'payments|pay-1'));
    for (const a of r.anomalies) found.push({ w, type: a.type, severity: a.severity, summary: a.summary, templates: a.templates });
  }
  return { found, analyzer };
}

const authorized = (rng: () => number, f: number) => `INFO payment ${between(rng, 1e6, 9e6)} authorized amount=${between(rng, 5, 400)}.00 EUR in ${logNormal(rng, 80 * f)}ms`;
const consumer = (rng: () => number, f: number) =>
  `INFO consumer group=inventory partition=${between(rng, 0, 5)} committed offset=${between(rng, 1e6, 9e6)} lag_ms=${logNormal(rng, 180 * f)} queue_depth=${logNormal(rng, 12 * f)}`;
/** 1 until minute 180, then up to `peak` over `rise` minutes, held. */
const climb = (peak: number, rise: number) => (m: number) => (m < 180 ? 1 : 1 + (peak - 1) * Math.min(1, (m - 180) / rise));

describe('numeric drift', () => {
  it('finds the measurement slots of a template, not its ids', () => {
    expect(numericSlots('INFO payment <num> authorized amount=<num> EUR in <dur>').map((s) => [s.name, s.unit])).toEqual([['the value after "in"', 'ms']]);
    expect(numericSlots('INFO consumer group=<*> partition=<num> committed offset=<num> lag_ms=<num> queue_depth=<num>').map((s) => s.name)).toEqual(['lag_ms', 'queue_depth']);
    expect(numericSlots('INFO order <num> placed by user <*> total=<num> EUR rid=<hex>')).toEqual([]);
    // A unit written as a word of its own makes the number before it a duration, read in that unit.
    expect(numericSlots('Completed <num> OK in <num> <dur> (Views: <dur> | ActiveRecord: <dur>)').map((s) => [s.name, s.unit, s.unitNext ?? false])).toEqual([
      ['the value after "in"', 'ms', true],
      ['the value after "(Views"', 'ms', false],
      ['the value after "ActiveRecord"', 'ms', false],
    ]);
    const slots = numericSlots('job done in <num> seconds');
    const values: Array<number | undefined> = [];
    expect(numericValues(tokenize('job done in 3 seconds'), 5, slots, values)).toBe(true);
    expect(values).toEqual([3000]);
    // The template's own unit word is read once; a line with another word there is read by its own.
    expect(numericValues(tokenize('job done in 3 ms'), 5, slots, values)).toBe(true);
    expect(values).toEqual([3]);
    expect(numericValues(tokenize('job done in 3 parsecs'), 5, slots, values)).toBe(true);
    expect(values).toEqual([undefined]);
    const spans = numericSlots('job done in <num> <dur>');
    for (const [line, ms] of [['job done in 2 ms', 2], ['job done in 2 sec', 2000], ['job done in 2 us', 0.002]] as const) {
      expect(numericValues(tokenize(line), 5, spans, values)).toBe(true);
      expect(values, line).toEqual([ms]);
    }
    // Two services' logfmt lines merged into one template: a bare <*> is read per line by its key.
    expect(numericSlots('level=info msg="<str> <str>" <*> <*> <*>').map((s) => s.keyed)).toEqual([true, true, true]);
    expect(keyedValue('latency_ms=84')).toEqual({ key: 'latency_ms', value: 84, unit: 'ms' });
    expect(keyedValue('"queue_depth":12,')).toEqual({ key: 'queue_depth', value: 12, unit: '' });
    expect(keyedValue('user=bob')).toBeUndefined();
    expect(keyedValue('order_id=5')).toBeUndefined();
    expect(numberIn('1.5s')).toBe(1500);
    expect(numberIn('lag_ms=1234')).toBe(1234);
    expect(numberIn('(250ms),')).toBe(250);
    // Unit words are looked up without a prototype: `constructor` is no unit.
    expect(numericSlots('loaded <num> constructor').filter((s) => s.unitNext)).toEqual([]);
    expect(numericSlots('loaded in <num> ms').filter((s) => s.unitNext)).toHaveLength(1);
  });

  it('reads a number as Number() reads its digits, whole, negative, long or fractional', () => {
    const numbers = ['0', '-0', '007', '42', '-17', '9007199254740991', '123456789012345', '1234567890123456', '98765432109876543210', '0.99', '-3.25', '12.000'];
    for (const n of numbers) {
      expect(Object.is(numberIn(`v=${n}`), Number(n)), n).toBe(true);
      expect(numberIn(`(${n}ms),`), n).toBe(Number(n));
    }
  });

  it('flags latency climbing from ~80 ms to ~900 ms over 45 minutes, with quantiles, and only once', async () => {
    const { found } = await run(authorized, climb(11, 45));
    const drift = found.filter((a) => a.type === 'numeric_drift');
    expect(drift).toHaveLength(1);
    const [a] = drift;
    // Windows 36.. carry the climb; three shifted windows in a row are needed.
    expect(a.w).toBeGreaterThanOrEqual(38);
    expect(a.w).toBeLessThanOrEqual(45);
    expect(a.severity).toBe('medium');
    expect(a.summary).toMatch(/^the value after "in" in "INFO payment <num> authorized amount=<num> EUR in <dur>" \(payments on pay-1\) has been at p50 \d+ ms \/ p90 \d+ ms for 3 windows, against p50 (7\d|8\d) ms \/ p90 \d+ ms before \(\d+\.\dx\)/);
    expect(found.filter((x) => x.severity !== 'low' && x.type !== 'numeric_drift')).toEqual([]);
  });

  it('flags a consumer whose lag_ms and queue_depth climb tenfold, naming the key', async () => {
    const { found } = await run(consumer, climb(10, 30));
    const drift = found.filter((a) => a.type === 'numeric_drift');
    expect(drift).toHaveLength(1);
    expect(drift[0].summary).toMatch(/^(lag_ms|queue_depth) in "INFO consumer .*\(1 other measurement shifted too\)/);
  });

  it('reads compact JSON lines by their members, as the miner splits them, and flags the same climb', async () => {
    const json = (rng: () => number, f: number) =>
      JSON.stringify({ level: 'info', msg: 'committed', partition: between(rng, 0, 5), offset: between(rng, 1e6, 9e6), lag_ms: logNormal(rng, 180 * f), queue_depth: logNormal(rng, 12 * f) });
    const slots = numericSlots('{"level":"info", "msg":"committed", "partition":<num>, "offset":<num>, "lag_ms":<num>, "queue_depth":<num>}');
    expect(slots.map((x) => [x.name, x.unit])).toEqual([
      ['lag_ms', 'ms'],
      ['queue_depth', ''],
    ]);
    const values: Array<number | undefined> = [];
    expect(numericValues(tokenize('{"level":"info","msg":"committed","partition":3,"offset":1234567,"lag_ms":250,"queue_depth":14}'), 6, slots, values)).toBe(true);
    expect(values).toEqual([250, 14]);
    const { found } = await run(json, climb(10, 30));
    const drift = found.filter((a) => a.type === 'numeric_drift');
    expect(drift).toHaveLength(1);
    expect(drift[0].summary).toMatch(/^(lag_ms|queue_depth) in "\{"level":"info", .*\(1 other measurement shifted too\)/);
  });

  it('stays quiet on steady values with their usual noise', async () => {
    const { found } = await run(authorized, () => 1);
    expect(found.filter((a) => a.type === 'numeric_drift')).toEqual([]);
  });

  it('keeps its baselines as plain data across a save and load, and bounds the series', async () => {
    const { analyzer } = await run(consumer, () => 1);
    const states = (analyzer as unknown as { states: StreamStates }).states;
    const saved = JSON.parse(JSON.stringify(states.toJSON()));
    const loaded = StreamStates.fromJSON(saved, 10).peek('payments|pay-1');
    const before = states.peek('payments|pay-1');
    expect(loaded?.numeric.size).toBe(before?.numeric.size);
    for (const [key, s] of before?.numeric ?? []) {
      const l = loaded?.numeric.get(key);
      expect(l?.baseline.count).toBe(s.baseline.count);
      expect(Math.abs((l?.baseline.getValueAtQuantile(0.5) ?? 0) / s.baseline.getValueAtQuantile(0.5) - 1)).toBeLessThan(0.05);
    }
    const small = new EmbeddedAnalyzer({ numeric: { max_series: 1 } });
    await small.analyze(makeWindow(T0, Array.from({ length: 10 }, (_, i) => `INFO consumer lag_ms=${i} queue_depth=${i}`)));
    expect((small as unknown as { states: StreamStates }).states.peek('payments|web-1')?.numeric.size).toBe(1);
  });
});
