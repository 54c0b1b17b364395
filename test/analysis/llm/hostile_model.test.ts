/**
 * A model endpoint that misbehaves on purpose (issue 9 items 5 and 8): a
 * runaway answer is cut off at max_response_bytes and counted, an invalid
 * answer is echoed into the repair request only as a bounded excerpt, and
 * many requests leave no listeners behind on the analyzer's signal.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LlmAnalyzer } from '../../../src/analysis/llm/analyzer.js';
import type { LlmConfigInput } from '../../../src/analysis/llm/config.js';
import { ModelServer, reply } from '../../support/model_server.js';
import { configFor, metricValue, quietAnswer, telemetry } from './helpers.js';
import { ErrorLineAnalyzer, makeWindow } from './support/error_line_analyzer.js';

const lines = ['GET /checkout 200 35ms', 'ERROR payment gateway timeout after 30000ms'];

let server: ModelServer | undefined;
let raw: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (raw) await new Promise((resolve) => raw!.close(resolve));
  raw = undefined;
});

function analyzerFor(base: ModelServer | string, over: LlmConfigInput = {}) {
  const t = telemetry();
  const cfg = typeof base === 'string' ? configFor({ baseUrl: base } as ModelServer, over) : configFor(base, over);
  return { analyzer: new LlmAnalyzer(new ErrorLineAnalyzer(), { ...cfg, mode: 'always' }, t), metrics: t.metrics };
}

/** A chat completions endpoint that answers with `bytes` bytes, declaring the length or streaming it chunked. */
async function floodServer(bytes: number, declareLength: boolean): Promise<{ url: string; sent: () => number }> {
  let sent = 0;
  raw = createServer((req, res) => {
    req.resume();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(bytes) } : {}) });
    const pump = () => {
      while (sent < bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => undefined);
    pump();
  });
  raw.listen(0, '127.0.0.1');
  await once(raw, 'listening');
  return { url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/v1`, sent: () => sent };
}

describe('LLM answers are bounded', () => {
  for (const declareLength of [true, false]) {
    it(`aborts a 200 MB answer (${declareLength ? 'Content-Length' : 'chunked'}) at max_response_bytes, counts it, and analyses with the detector`, async () => {
      const flood = await floodServer(200 * 1024 * 1024, declareLength);
      const { analyzer, metrics } = analyzerFor(flood.url, { max_response_bytes: 256 * 1024 });
      const heapBefore = process.memoryUsage().heapUsed;
      const result = await analyzer.analyze(makeWindow(lines));
      expect(result.anomalies.every((a) => a.analysis === 'degraded')).toBe(true);
      expect(result.anomalies.length).toBeGreaterThan(0);
      expect(await metricValue(metrics, 'lookout_llm_requests_total{outcome="response_too_large"}')).toBe(1);
      // The server stopped well short of 200 MB: the read was cancelled and the connection dropped.
      expect(flood.sent()).toBeLessThan(100 * 1024 * 1024);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
      await analyzer.close();
    });
  }

  it('echoes at most an excerpt of an invalid answer into the repair request', async () => {
    server = await ModelServer.start();
    const runaway = `{"anomalies": [${'{"severity": "high", '.repeat(20_000)}`;
    server.script(reply.text(runaway), reply.ok(quietAnswer));
    const { analyzer } = analyzerFor(server);
    await analyzer.analyze(makeWindow(lines));
    expect(server.requests).toHaveLength(2);
    const echoed = server.requests[1].json.messages.find((m) => m.role === 'assistant')!;
    expect(runaway.length).toBeGreaterThan(400_000);
    expect(echoed.content.length).toBeLessThanOrEqual(4000);
    expect(runaway.startsWith(echoed.content.slice(0, -1))).toBe(true);
    expect(server.requests[1].body.length).toBeLessThan(20_000);
    await analyzer.close();
  });

  it('leaves no abort listener behind per request (no MaxListenersExceededWarning after 40 requests)', async () => {
    server = await ModelServer.start();
    server.script(...Array.from({ length: 40 }, () => reply.ok(quietAnswer)));
    const { analyzer } = analyzerFor(server, { cache_size: 0 });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 40; i++) await analyzer.analyze(makeWindow([...lines, `GET /item/${i} 200`]));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(server.requests).toHaveLength(40);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    await analyzer.close();
  });

  it('redacts service, host and stream names before they reach the model, with the placeholders the lines get', async () => {
    server = await ModelServer.start();
    server.script(reply.ok(quietAnswer));
    const { analyzer } = analyzerFor(server);
    const email = 'ops.alice@example.com';
    await analyzer.analyze(makeWindow([...lines, `paged ${email}`], `svc ${email}`, 'host-password=hunter22'));
    const body = server.requests[0].body;
    expect(body).not.toContain(email);
    expect(body).not.toContain('hunter22');
    expect(body).toContain('Service: svc <EMAIL_1>');
    expect(body).toContain('paged <EMAIL_1>');
    await analyzer.close();
  });
});
