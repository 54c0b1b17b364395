/**
 * GET /v1/streams (per-stream records, windows, last seen, health, skew) and
 * /readyz reporting a dependency that does not answer, on a real Lookout.
 */
import { Writable } from 'node:stream';
import { createServer, type AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LookoutConfigSchema } from '../../src/config/schema.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { startLookout, type Lookout } from '../../src/topology/index.js';
import { StreamTable, type StreamView } from '../../src/topology/streams.js';
import type { Intake } from '../../src/sources/intake.js';
import { startTestLookout } from '../support/lookout.js';

const running: Lookout[] = [];
afterEach(async () => {
  for (const l of running.splice(0)) await l.shutdown();
});

function post(url: string, body: unknown) {
  return fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('the counting intake', () => {
  it('asks sources for raw fields when its own stream key reads them, whatever the windows say', () => {
    const windows: Intake = { admit: () => ({ ok: true }), whenWritable: () => Promise.resolve(), readsFields: false };
    expect(new StreamTable(['service', 'host'], 10).counting(windows).readsFields).toBe(false);
    expect(new StreamTable(['kubernetes.namespace'], 10).counting(windows).readsFields).toBe(true);
    expect(new StreamTable(['service', 'host'], 10).counting({ ...windows, readsFields: undefined }).readsFields).toBe(true);
  });
});

describe('GET /v1/streams', () => {
  it('lists each stream with records, windows, anomalies, last seen, health and clock skew', async () => {
    const t = await startTestLookout({ windows: { max_lines: 10 } });
    running.push(t.lookout);
    const now = Date.now();
    // checkout's records were stamped 30 s before they are sent; search's sender clock runs 2 s ahead.
    const checkout = Array.from({ length: 25 }, (_, i) => ({ service: 'checkout', host: 'web-1', message: `GET /cart/${i} 200`, timestamp: new Date(now - 30_000).toISOString() }));
    const search = Array.from({ length: 3 }, (_, i) => ({ service: 'search', host: 'web-2', message: `query ${i} took 3ms`, timestamp: new Date(now + 2_000).toISOString() }));
    expect((await post(t.url, [...checkout, ...search])).status).toBe(200);
    await expect.poll(() => t.analyzer.windows.length).toBe(2);

    const res = await fetch(`${t.url}/v1/streams`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { streams: StreamView[]; count: number };
    expect(body.count).toBe(2);
    const [a, b] = body.streams;
    expect(a).toMatchObject({ stream: 'checkout|web-1', service: 'checkout', host: 'web-1', records: 25, windows: 2, anomalies: 0, health: 'normal' });
    expect(b).toMatchObject({ stream: 'search|web-2', records: 3, windows: 0, health: null });
    // Skew is arrival minus event time: about +30 s and -2 s, give or take the request's own time.
    expect(a.skew_seconds).toBeGreaterThanOrEqual(29);
    expect(a.skew_seconds).toBeLessThan(40);
    expect(b.skew_seconds).toBeLessThanOrEqual(-1);
    expect(b.skew_seconds).toBeGreaterThan(-2.5);
    expect(Date.parse(a.last_seen)).toBeGreaterThanOrEqual(now);
    expect(Date.parse(a.last_event)).toBe(Date.parse(checkout[0].timestamp));
  });
});

describe('/readyz with a dependency that does not answer', { timeout: 30_000 }, () => {
  it('stays ready (200), names the sink in its body as degraded, and logs a warning', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const logs: Array<{ msg: string; level: number }> = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, cb) => (logs.push(JSON.parse(chunk.toString())), cb()) }));
    const config = LookoutConfigSchema.parse({
      sources: { http: { address: '127.0.0.1', port: 0 }, forward: { enabled: false } },
      sinks: [{ type: 'loki', endpoint: `http://127.0.0.1:${closedPort}`, retry_max_attempts: 1 }],
      analysis: { workers: 0 },
      shutdown: { drain_timeout_seconds: 2 },
    });
    const lookout = await startLookout(config, { logger, metrics: createMetrics() });
    running.push(lookout);
    const url = `http://127.0.0.1:${lookout.http!.port}/readyz`;
    await expect.poll(async () => ((await (await fetch(url)).json()) as { status: string }).status, { timeout: 10_000 }).toBe('degraded');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'degraded',
      degraded: [{ kind: 'sink', name: 'loki', target: `http://127.0.0.1:${closedPort}/ready`, detail: expect.stringContaining('ECONNREFUSED') }],
    });
    expect(logs.some((l) => l.level === 40 && l.msg.startsWith('sink loki does not answer: '))).toBe(true);
  });
});
