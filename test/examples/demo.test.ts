import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { replayScenario, streamTimes, WINDOW_SECONDS } from '../../examples/demo/replay.js';
import { formatVectorTimestamp, generateScenario, type IncidentLabel } from '../../examples/demo/scenario.js';
import { scoreAnomalies, type ScoredAnomaly } from '../../examples/demo/score.js';
import { encodeBatch, sendEvents, VectorSendError } from '../../examples/demo/vector_client.js';

const SHORT = { start: '2026-11-23T10:00:00Z', hours: 2, scale: 0.3, incidents: [{ kind: 'config_change' as const, atHours: 1.3 }] };

describe('demo scenario generator', () => {
  it('is deterministic: the same seed gives the same bytes, another seed other bytes', () => {
    const a = JSON.stringify(generateScenario(SHORT));
    const b = JSON.stringify(generateScenario(SHORT));
    const c = JSON.stringify(generateScenario({ ...SHORT, seed: 7 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('yields Vector file-source events in time order, with labels inside the scenario', () => {
    const s = generateScenario(SHORT);
    expect(s.events.length).toBeGreaterThan(500);
    let last = 0;
    for (const e of s.events) {
      expect(Object.keys(e).sort()).toEqual(['file', 'host', 'message', 'service', 'source_type', 'timestamp']);
      expect(e.source_type).toBe('file');
      expect(e.file).toBe(`/var/log/${e.service}/${e.service}.log`);
      expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$/);
      const t = Date.parse(e.timestamp);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    expect(s.incidents).toHaveLength(1);
    const [inc] = s.incidents;
    expect(inc.kind).toBe('config_change');
    expect(Date.parse(inc.start)).toBeGreaterThanOrEqual(Date.parse(s.start));
    expect(Date.parse(inc.end)).toBeLessThan(Date.parse(s.end));
    expect(s.events.some((e) => e.host === 'web-1' && e.message.startsWith('ERROR promo engine'))).toBe(true);
    expect(s.events.some((e) => e.host === 'web-2' && e.message.startsWith('ERROR promo engine'))).toBe(false);
  });

  it('spreads the brute force over an hour, never more than two failures per five minutes', () => {
    const s = generateScenario({ hours: 2, scale: 0.2, incidents: [{ kind: 'brute_force', atHours: 0.5 }] });
    const attempts = s.events.filter((e) => e.message.includes('login failed for user admin'));
    expect(attempts.length).toBeGreaterThanOrEqual(6);
    expect(attempts.length).toBeLessThanOrEqual(10);
    const perBox = new Map<number, number>();
    for (const e of attempts) {
      const box = Math.floor(Date.parse(e.timestamp) / 300_000);
      perBox.set(box, (perBox.get(box) ?? 0) + 1);
    }
    expect(Math.max(...perBox.values())).toBeLessThanOrEqual(2);
    const span = Date.parse(attempts[attempts.length - 1].timestamp) - Date.parse(attempts[0].timestamp);
    expect(span).toBeGreaterThan(40 * 60_000);
    expect(span).toBeLessThanOrEqual(60 * 60_000);
  });

  it('prints timestamps the way chrono AutoSi does', () => {
    const ms = Date.parse('2026-11-23T10:00:00.123Z');
    expect(formatVectorTimestamp(ms, 456_789)).toBe('2026-11-23T10:00:00.123456789Z');
    expect(formatVectorTimestamp(ms, 456_000)).toBe('2026-11-23T10:00:00.123456Z');
    expect(formatVectorTimestamp(ms, 0)).toBe('2026-11-23T10:00:00.123Z');
    expect(formatVectorTimestamp(Date.parse('2026-11-23T10:00:00Z'), 0)).toBe('2026-11-23T10:00:00Z');
    expect(formatVectorTimestamp(Date.parse('2026-11-23T10:00:00.005Z'), 0)).toBe('2026-11-23T10:00:00.005Z');
  });
});

describe('vector client', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  async function serve(statuses: number[]): Promise<{ url: string; received: Array<{ headers: IncomingMessage['headers']; body: Buffer }> }> {
    const received: Array<{ headers: IncomingMessage['headers']; body: Buffer }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)];
        res.end(res.statusCode === 200 ? '' : 'nope');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
  }

  it('encodes gzip NDJSON with sorted keys at every level and no trailing newline', () => {
    const events = [
      { timestamp: '2026-11-23T00:00:00Z', message: 'a', host: 'h', nested: { z: 1, a: { y: 2, b: 3 } } },
      { source_type: 'file', file: '/var/log/x/x.log', message: 'b\nc' },
    ];
    const req = encodeBatch(events);
    expect(req.headers['content-type']).toBe('application/x-ndjson');
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.headers['user-agent']).toMatch(/^Vector\//);
    expect(req.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const text = gunzipSync(req.body).toString('utf8');
    expect(text.endsWith('\n')).toBe(false);
    expect(text).toBe(
      '{"host":"h","message":"a","nested":{"a":{"b":3,"y":2},"z":1},"timestamp":"2026-11-23T00:00:00Z"}\n' +
        '{"file":"/var/log/x/x.log","message":"b\\nc","source_type":"file"}',
    );
  });

  it('sends batches in order and retries 429 and 503 like Vector', async () => {
    const { url, received } = await serve([429, 503, 200]);
    const events = Array.from({ length: 25 }, (_, i) => ({ message: `line ${i}`, host: 'h' }));
    const report = await sendEvents(url, events, { batchSize: 10, retryInitialMs: 5 });
    expect(report).toEqual({ requests: 5, retries: 2, events: 25 });
    const lines = received.slice(2).flatMap((r) => gunzipSync(r.body).toString('utf8').split('\n'));
    expect(lines).toEqual(events.map((e) => `{"host":"h","message":"${e.message}"}`));
    expect(received[0].headers['content-encoding']).toBe('gzip');
  });

  it('fails loudly on a status Vector would drop', async () => {
    const { url, received } = await serve([400]);
    await expect(sendEvents(url, [{ message: 'x' }], { retryInitialMs: 5 })).rejects.toBeInstanceOf(VectorSendError);
    expect(received).toHaveLength(1);
  });

  it('gives up on a batch that keeps being refused', async () => {
    const { url } = await serve([503]);
    await expect(sendEvents(url, [{ message: 'x' }], { retryInitialMs: 5, retryMaxMs: 10, giveUpAfterMs: 100 })).rejects.toThrow(/still failing/);
  });
});

describe('scoring', () => {
  const T = (hhmm: string) => `2026-11-23T${hhmm}:00.000Z`;
  const incidents: IncidentLabel[] = [
    { id: 'a', kind: 'brute_force', service: 'auth', host: 'auth-1', start: T('01:02'), end: T('01:12'), description: '' },
    { id: 'b', kind: 'pool_exhaustion', service: 'payments', also: [{ service: 'checkout' }], start: T('02:00'), end: T('02:04'), description: '' },
    { id: 'c', kind: 'config_change', service: 'checkout', host: 'web-1', start: T('03:00'), end: T('03:01'), description: '' },
  ];
  const anomaly = (service: string, host: string, start: string, end: string): ScoredAnomaly => ({
    service: { name: service },
    host: { name: host },
    window: { start: T(start), end: T(end) },
    anomaly: { type: 'x', severity: 'high' },
  });

  it('finds incidents on their streams, counts quiet-stretch alarms and window-level figures', () => {
    const anomalies = [
      anomaly('auth', 'auth-1', '01:05', '01:09'), // a, box 01:05
      anomaly('checkout', 'web-2', '02:00', '02:04'), // b via `also`, box 02:00
      anomaly('auth', 'auth-1', '02:00', '02:04'), // right time, wrong stream: false alarm
      anomaly('checkout', 'web-2', '03:00', '03:04'), // c is on web-1 only: false alarm
    ];
    const lines = [];
    for (const [service, host] of [['auth', 'auth-1'], ['checkout', 'web-1'], ['checkout', 'web-2'], ['payments', 'pay-1']]) {
      for (let m = 60; m < 4 * 60; m += 5) lines.push({ service, host, time: Date.parse(T('00:00')) + m * 60_000 + 1000 });
    }
    const s = scoreAnomalies(incidents, anomalies, lines, 300_000);
    expect(s.incidents.map((i) => [i.id, i.found, i.anomalies])).toEqual([['a', true, 1], ['b', true, 1], ['c', false, 0]]);
    expect(s.falseAlarms.map((a) => `${a.service.name}@${a.host.name} ${a.window.start.slice(11, 16)}`)).toEqual([
      'auth@auth-1 02:00',
      'checkout@web-2 03:00',
    ]);
    // Positives: a → auth 01:00, 01:05, 01:10; b → payments, web-1, web-2 at 02:00; c → web-1 03:00. 7 in all.
    expect(s.windows).toMatchObject({ units: 4 * 36, tp: 2, fp: 2, fn: 5 });
    expect(s.windows.tn).toBe(4 * 36 - 9);
    expect(s.windows.precision).toBeCloseTo(0.5);
    expect(s.windows.recall).toBeCloseTo(2 / 7);
    expect(s.windows.f1).toBeCloseTo((2 * 0.5 * (2 / 7)) / (0.5 + 2 / 7));
  });
});

describe('demo replay', () => {
  it('replays a short scenario through Lookout over HTTP and finds its incident', async () => {
    const scenario = generateScenario(SHORT);
    const result = await replayScenario(scenario);
    expect(result.shutdown).toMatchObject({ recordsReceived: scenario.events.length, recordsAnalyzed: scenario.events.length, drained: true });
    const score = scoreAnomalies(scenario.incidents, result.anomalies, streamTimes(scenario), WINDOW_SECONDS * 1000);
    expect(score.incidents[0]).toMatchObject({ id: scenario.incidents[0].id, found: true });
  });
});
