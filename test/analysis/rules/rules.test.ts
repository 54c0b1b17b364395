import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuleBook, RulesFileError, rulesPath } from '../../../src/analysis/rules/rules.js';
import type { AnomalyRecord } from '../../../src/sinks/record.js';
import { startTestLookout, type TestLookout } from '../../support/lookout.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-rules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(over: { service?: string; type?: string; severity?: AnomalyRecord['anomaly']['severity']; templates?: string[]; summary?: string } = {}): AnomalyRecord {
  const severity = over.severity ?? 'medium';
  return {
    '@timestamp': '2026-01-01T00:00:00.000Z',
    message: `${severity} ${over.type ?? 'rate_spike'} in payments on pay-1: x`,
    log: { level: 'warn' },
    event: { kind: 'alert', severity: 47, created: '2026-01-01T00:00:00.000Z' },
    service: { name: over.service ?? 'payments' },
    host: { name: 'pay-1' },
    anomaly: {
      id: '0'.repeat(32),
      severity,
      type: over.type ?? 'rate_spike',
      summary: over.summary ?? '"INFO job <num> done" in payments on pay-1 jumped to 40 lines.',
      evidence: ['INFO job 7 done'],
      recommended_action: 'Look.',
      score: 0.5,
      detector: 'embedded',
      analysis: 'full',
      templates: over.templates ?? ['t0123456789ab'],
    },
    window: { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:05:00.000Z', lines: 10, health: 'degraded', stream: 'payments|pay-1' },
    labels: {},
  };
}

describe('rules', () => {
  it('mutes, lowers (one step or to a severity) and stops at expires_at, first match wins', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const book = new RuleBook(
      [
        { match: { type: 'rare_template' }, action: 'mute' },
        { match: { service: 'payments', template: 't0123456789ab' }, action: 'lower', expires_at: '2026-01-02T00:00:00Z' },
        { match: { text: 'certificate' }, action: 'lower', severity: 'low' },
      ],
      undefined,
      () => now,
    );
    const out = book.apply([
      record({ type: 'rare_template' }),
      record({ severity: 'high' }),
      record({ templates: ['tother'], severity: 'critical', summary: 'certificate expires in 3 days' }),
      record({ service: 'checkout', templates: ['tother'] }),
    ]);
    expect(out.muted).toBe(1);
    expect(out.lowered).toBe(2);
    expect(out.records.map((r) => [r.service.name, r.anomaly.severity, r.log.level, r.event.severity])).toEqual([
      ['payments', 'medium', 'warn', 47],
      ['payments', 'low', 'info', 21],
      ['checkout', 'medium', 'warn', 47],
    ]);
    expect(out.records[0].message).toMatch(/^medium rate_spike/);
    now = Date.parse('2026-01-03T00:00:00Z');
    expect(book.apply([record({ severity: 'high' })]).records[0].anomaly.severity).toBe('high');
  });

  it('loads JSON or YAML, rejects a bad file with its path and the field, and defaults to the state directory', async () => {
    const yaml = join(dir, 'rules.yaml');
    await writeFile(yaml, 'rules:\n  - match: {service: payments, type: rate_spike}\n    action: mute\n');
    expect((await RuleBook.load(yaml)).rules).toHaveLength(1);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ rules: [{ match: {}, action: 'mute' }] }));
    await expect(RuleBook.load(bad)).rejects.toThrow(RulesFileError);
    await expect(RuleBook.load(bad)).rejects.toThrow(/bad\.json: rules\.0\.match: a rule must match on at least one/);
    expect((await RuleBook.load(join(dir, 'absent.json'))).rules).toEqual([]);
    expect(rulesPath({ state_path: '/var/lib/lookout' })).toBe('/var/lib/lookout/rules.json');
    expect(rulesPath({ rules: '/etc/lookout/rules.yaml', state_path: '/x' })).toBe('/etc/lookout/rules.yaml');
    expect(rulesPath({})).toBeUndefined();
  });
});

describe('POST /v1/feedback', () => {
  const running: TestLookout[] = [];
  afterEach(async () => {
    for (const t of running.splice(0)) await t.lookout.shutdown();
  });

  const BASE = Math.floor(Date.now() / 1000) * 1000 - 5_000;
  /** Ten lines (the window's line cap) with an out-of-memory line: one critical anomaly per batch. */
  const batch = (offset: number) =>
    Array.from({ length: 10 }, (_, i) => ({
      host: 'pay-1',
      service: 'payments',
      message: i === 5 ? `worker ${offset} killed: out of memory` : `charge ${offset + i} settled in ${i}ms`,
      timestamp: new Date(BASE + offset + i).toISOString(),
    }));
  const post = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('turns a noise verdict into a persisted rule that keeps the finding quiet, and answers bad input with JSON 4xx', async () => {
    const rules = join(dir, 'feedback-rules.json');
    const t = await startTestLookout({ windows: { max_lines: 10 }, analysis: { rules } });
    running.push(t);
    expect((await post(t.url, '/v1/logs', batch(0))).status).toBe(200);
    await expect.poll(() => t.emitter.records.length).toBe(1);
    const first = t.emitter.records[0];
    expect(first.anomaly.type).toBe('out_of_memory');

    for (const [body, pattern] of [
      ['{not json', /invalid feedback body/],
      [{ anomaly_id: first.anomaly.id }, /verdict/],
      [{ anomaly_id: 'nope', verdict: 'noise' }, /anomaly_id: an anomaly\.id/],
      [{ anomaly_id: first.anomaly.id, verdict: 'noise', extra: 1 }, /Unrecognized key/],
    ] as const) {
      const res = await post(t.url, '/v1/feedback', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toMatch(pattern);
    }
    const unknown = await post(t.url, '/v1/feedback', { anomaly_id: 'f'.repeat(32), verdict: 'noise' });
    expect(unknown.status).toBe(404);

    const res = await post(t.url, '/v1/feedback', { anomaly_id: first.anomaly.id, verdict: 'noise', note: 'load test' });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toMatchObject({ accepted: true, persisted: true, rule: { action: 'mute', match: { service: 'payments', type: 'out_of_memory', template: first.anomaly.templates[0] } } });
    const saved = JSON.parse(await readFile(rules, 'utf8'));
    expect(saved.rules).toHaveLength(1);

    expect((await post(t.url, '/v1/logs', batch(1000))).status).toBe(200);
    await expect.poll(() => t.analyzer.windows.length).toBe(2);
    await t.lookout.shutdown();
    expect(t.emitter.records).toHaveLength(1);

    // A restart reads the rule back: the same finding stays quiet.
    const again = await startTestLookout({ windows: { max_lines: 10 }, analysis: { rules } });
    running.push(again);
    expect((await post(again.url, '/v1/logs', batch(2000))).status).toBe(200);
    await expect.poll(() => again.analyzer.windows.length).toBe(1);
    await again.lookout.shutdown();
    expect(again.emitter.records).toEqual([]);
  });
});
