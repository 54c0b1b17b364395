import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { LlmAnomalySchema } from '../../../src/analysis/anomaly.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

/** Past a warm-up of 5 windows, with `history` windows of 60 lines behind it: long enough that one new line is news. */
async function warmed(history = 80) {
  const rng = mulberry32(3);
  const analyzer = new EmbeddedAnalyzer({ warmup_windows: 5 }, { rng: () => 1 });
  for (let w = 0; w < history; w++) await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 60)));
  return { analyzer, rng, next: T0 + history * MINUTE };
}

/** A slow stream: 20 lines per five-minute window, as a service logs at night. */
async function slowStream(windows: number) {
  const rng = mulberry32(29);
  const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
  for (let w = 0; w < windows; w++) {
    const r = await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, chatter(rng, 20)));
    expect(r.anomalies).toEqual([]);
  }
  return { analyzer, rng, next: T0 + windows * 5 * MINUTE };
}

describe('new template signal', () => {
  it('flags a line shape the stream never produced, after warm-up, with the real line as evidence', async () => {
    const { analyzer, rng, next } = await warmed();
    const odd = 'ERROR payment gateway returned malformed response for merchant 8812';
    const window = makeWindow(next, [...chatter(rng, 30), odd, ...chatter(rng, 30)]);
    const result = await analyzer.analyze(window);
    expect(result.anomalies).toHaveLength(1);
    const [a] = result.anomalies;
    expect(a).toMatchObject({ type: 'new_template', severity: 'high', detector: 'embedded', analysis: 'full' });
    expect(a.evidence).toEqual([odd]);
    expect(a.templates).toHaveLength(1);
    expect(LlmAnomalySchema.safeParse({ severity: a.severity, type: a.type, summary: a.summary, evidence: a.evidence, recommended_action: a.recommended_action }).success).toBe(true);
    expect(result.health).toBe('degraded');
    expect(result.gate).toMatchObject({ send: true, reason: 'score' });
  });

  it('is silent during warm-up, when everything is new', async () => {
    const analyzer = new EmbeddedAnalyzer({ warmup_windows: 5 });
    const result = await analyzer.analyze(makeWindow(T0, ['INFO a brand new line 1', 'INFO another shape entirely here']));
    expect(result.anomalies.filter((a) => a.type === 'new_template')).toEqual([]);
  });

  it('reports several new shapes of one window as one anomaly rated by the worst level', async () => {
    const { analyzer, rng, next } = await warmed();
    const lines = ['INFO feature flag checkout-v2 enabled for tenant 4', 'WARN deprecated config key payments.retry used', 'INFO new exporter started on port 9464'];
    const result = await analyzer.analyze(makeWindow(next, [...chatter(rng, 40), ...lines]));
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ type: 'new_template', severity: 'medium' });
    expect(result.anomalies[0].templates).toHaveLength(3);
    expect(result.anomalies[0].evidence[0]).toBe(lines[1]);
    expect([...result.anomalies[0].evidence].sort()).toEqual([...lines].sort());
  });

  it('does not repeat once the shape is part of the baseline', async () => {
    const { analyzer, rng, next } = await warmed();
    const line = 'INFO reconciler finished pass 1';
    expect((await analyzer.analyze(makeWindow(next, [...chatter(rng, 40), line]))).anomalies).toHaveLength(1);
    const again = await analyzer.analyze(makeWindow(next + MINUTE, [...chatter(rng, 40), 'INFO reconciler finished pass 2']));
    expect(again.anomalies).toEqual([]);
  });

  it('learns a benign line quietly when a slow stream\'s history is too short to call it new', async () => {
    // Hour four of a stream at 20 lines per window: about 900 lines seen, so a line with a 0.2% share may well not have shown yet.
    const { analyzer, rng, next } = await slowStream(45);
    const line = 'WARN payments call slow (1412ms), retrying once rid=9f2c01ab33de';
    expect((await analyzer.analyze(makeWindow(next, [...chatter(rng, 20), line]))).anomalies).toEqual([]);
  });

  it('still reports a new line in a slow stream at once when it is an error, or when many of it arrive', async () => {
    const { analyzer, rng, next } = await slowStream(45);
    const error = 'ERROR ledger write rejected: constraint violation on entry 77';
    const r1 = await analyzer.analyze(makeWindow(next, [...chatter(rng, 20), error]));
    expect(r1.anomalies.map((a) => [a.type, a.severity])).toEqual([['new_template', 'high']]);
    // Three lines of one new WARN shape in 23: a steady share would have shown among the ~900 earlier lines.
    const burst = [1, 2, 3].map((n) => `WARN replica ${n} lagging behind primary by 12s`);
    const r2 = await analyzer.analyze(makeWindow(next + 5 * MINUTE, [...chatter(rng, 20), ...burst]));
    expect(r2.anomalies.map((a) => [a.type, a.severity])).toEqual([['new_template', 'medium']]);
  });

  it('can be switched off', async () => {
    const rng = mulberry32(3);
    const analyzer = new EmbeddedAnalyzer({ warmup_windows: 2, new_template: { enabled: false } });
    for (let w = 0; w < 2; w++) await analyzer.analyze(makeWindow(T0 + w * MINUTE, chatter(rng, 60)));
    const result = await analyzer.analyze(makeWindow(T0 + 2 * MINUTE, [...chatter(rng, 40), 'INFO something never seen']));
    expect(result.anomalies).toEqual([]);
  });

  it('rates one new line about privilege, permission, integrity or data loss at least medium, on a slow stream too', async () => {
    const lines = [
      'sudo: www-data : command not allowed ; TTY=unknown ; PWD=/var/www ; USER=root ; COMMAND=/bin/bash',
      'replica 2 checksum mismatch on segment 0041 (expected 9f2c, got 11ab)',
      'compaction dropped 1200 records from partition 3 after a crash',
    ];
    for (const line of lines) {
      const { analyzer, rng, next } = await slowStream(12);
      const r = await analyzer.analyze(makeWindow(next, [...chatter(rng, 10), { message: line, level: 'info' }]));
      expect(r.anomalies.map((a) => [a.type, a.severity]), line).toEqual([['new_template', 'medium']]);
      expect(r.anomalies[0].summary).toMatch(/speaks of privilege, permission, authentication, integrity or data loss/);
      expect(r.anomalies[0].evidence).toEqual([line]);
    }
  });

  it('keeps a new INFO line after a deploy low', async () => {
    const { analyzer, rng, next } = await warmed();
    const deploy = ['INFO deploy: checkout 2.14.1 rolled out (commit 9f3c2ab), dropping privileges to user app', 'INFO feature flag cache refreshed (31 flags)'];
    const r = await analyzer.analyze(makeWindow(next, [...chatter(rng, 30), ...deploy]));
    expect(r.anomalies.every((a) => a.severity === 'low')).toBe(true);
  });

  it('leaves a first mistyped password to the failed-login count', async () => {
    const { analyzer, rng, next } = await warmed();
    const r = await analyzer.analyze(makeWindow(next, [...chatter(rng, 30), 'WARN login failed for user carol from 81.2.3.4: invalid password']));
    expect(r.anomalies).toEqual([]);
  });
});
