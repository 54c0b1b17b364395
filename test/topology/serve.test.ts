import { gzipSync } from 'node:zlib';
import { FluentClient } from '@fluent-org/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestLookout, type TestLookout } from '../support/lookout.js';

const running: TestLookout[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.lookout.shutdown();
});

async function start(overrides: Record<string, unknown> = {}) {
  const t = await startTestLookout(overrides);
  running.push(t);
  return t;
}

/** Event times a few seconds before now: within the clock tolerance, so records keep their own time on the window axis. */
const BASE = Math.floor(Date.now() / 1000) * 1000 - 5_000;

function vectorBatch(n: number, offset = 0, host = 'web-1') {
  return Array.from({ length: n }, (_, i) => ({
    file: '/var/log/app/checkout.log',
    host,
    message: `GET /orders/${offset + i} 200 ${i % 50}ms`,
    source_type: 'file',
    timestamp: new Date(BASE + offset + i).toISOString(),
  }));
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && !l.startsWith('#'))
    .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('lookout serve pipeline', () => {
  it('carries Vector records through windows and analysis, and reports it in /metrics', async () => {
    const t = await start({ windows: { max_lines: 50 } });
    const res = await post(t.url, vectorBatch(120));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 120 });
    // two windows closed on size go to analysis at once; the rest waits for its time box or shutdown
    await expect.poll(() => t.analyzer.windows.length).toBe(2);
    expect(t.analyzer.windows.map((w) => [w.stream, w.records.length, w.closedBy])).toEqual([
      ['checkout|web-1', 50, 'size'],
      ['checkout|web-1', 50, 'size'],
    ]);
    const first = t.analyzer.windows[0].records[0];
    expect(first).toMatchObject({ message: 'GET /orders/0 200 0ms', host: 'web-1', service: 'checkout', source: 'http', level: 'unknown' });
    expect(first.timestamp).toBe(BASE);
    expect(first.fields).toMatchObject({ file: '/var/log/app/checkout.log', source_type: 'file' });
    expect(await metric(t.url, 'lookout_records_received_total{source="http",format="json"}')).toBe(120);
    expect(await metric(t.url, 'lookout_buffer_records')).toBe(20);
    const report = await t.lookout.shutdown();
    expect(report).toEqual({ recordsReceived: 120, recordsAnalyzed: 120, anomaliesLost: 0, drained: true });
    expect(t.analyzer.records.map((r) => r.message)).toEqual(vectorBatch(120).map((e) => e.message));
  });

  it('answers /healthz, /readyz and exposes every required metric', async () => {
    const t = await start();
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'ready', degraded: [] });
    await post(t.url, vectorBatch(3));
    const text = await (await fetch(`${t.url}/metrics`)).text();
    for (const name of [
      'lookout_records_received_total',
      'lookout_records_rejected_total',
      'lookout_records_analyzed_total',
      'lookout_windows_flushed_total',
      'lookout_buffer_records',
      'lookout_anomalies_emitted_total',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it('answers wrong methods and unknown paths with a JSON error', async () => {
    const t = await start();
    const get = await fetch(`${t.url}/v1/logs`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, HEAD');
    expect(await get.json()).toMatchObject({ code: 405 });
    const missing = await fetch(`${t.url}/api/v2/push`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 404, error: expect.stringContaining('POST / or /v1/logs') });
    expect((await fetch(`${t.url}/v1/logs`, { method: 'HEAD' })).status).toBe(200);
  });

  it('pushes back with 429 while the buffer is full and accepts the retry once analysis drains it', async () => {
    const t = await start({ windows: { max_lines: 50, max_buffered_records: 100 } });
    t.analyzer.pause();
    expect((await post(t.url, vectorBatch(100))).status).toBe(200);
    const refused = await post(t.url, vectorBatch(10, 100));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
    expect(await metric(t.url, 'lookout_records_rejected_total{reason="buffer_full"}')).toBe(10);
    t.analyzer.resume();
    await expect.poll(() => t.lookout.windower.buffered.records).toBe(0);
    expect((await post(t.url, vectorBatch(10, 100))).status).toBe(200);
    const report = await t.lookout.shutdown();
    expect(report.recordsReceived).toBe(110);
    expect(report.recordsAnalyzed).toBe(110);
  });

  it('loses nothing it accepted when shut down under load', async () => {
    const t = await start({ windows: { max_lines: 100 } });
    let accepted = 0;
    let refused = 0;
    let sent = 0;
    const client = async (lane: number) => {
      for (let i = 0; i < 40; i++) {
        const body = gzipSync(vectorBatch(25, (lane * 40 + i) * 25, `web-${lane}`).map((e) => JSON.stringify(e)).join('\n'));
        sent++;
        try {
          const res = await fetch(`${t.url}/v1/logs`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
            body,
          });
          if (res.status === 200) accepted += ((await res.json()) as { accepted: number }).accepted;
          else {
            expect(res.status).toBe(503);
            refused++;
          }
        } catch {
          refused++; // connection closed by the shutdown: the client would retry
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(client));
    await expect.poll(() => accepted, { timeout: 10_000 }).toBeGreaterThan(500);
    const report = await t.lookout.shutdown();
    await load;
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
    expect(report.drained).toBe(true);
    expect(report.recordsReceived).toBe(accepted);
    expect(report.recordsAnalyzed).toBe(accepted);
    expect(t.analyzer.records).toHaveLength(accepted);
    expect(sent).toBe(160);
  });

  it('takes @fluent-org/logger Forward traffic with acks through the same windows', async () => {
    const t = await start();
    const client = new FluentClient('app', {
      socket: { host: '127.0.0.1', port: t.lookout.forward!.port, disableReconnect: true },
      ack: { ackTimeout: 5000 },
      eventMode: 'PackedForward',
      milliseconds: true,
    });
    // with reconnects disabled the client does not connect by itself
    await client.connect();
    await Promise.all(Array.from({ length: 30 }, (_, i) => client.emit('payments', { message: `charge ${i} ok`, level: 'info', host: 'pay-1' })));
    await client.disconnect();
    const report = await t.lookout.shutdown();
    expect(report).toMatchObject({ recordsReceived: 30, recordsAnalyzed: 30 });
    const records = t.analyzer.records;
    expect(records.map((r) => r.message)).toEqual(Array.from({ length: 30 }, (_, i) => `charge ${i} ok`));
    expect(records[0]).toMatchObject({ service: 'payments', host: 'pay-1', tag: 'app.payments', source: 'forward', level: 'info' });
  });
});
