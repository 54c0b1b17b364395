/**
 * A slow model holds up only the windows it was asked about: the analysis
 * queue makes room for the LLM's own concurrency and queue, so quiet windows
 * the gate does not send keep flowing while the model hangs.
 */
import { expect, it } from 'vitest';
import { LookoutConfigSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/telemetry/log.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { startLookout } from '../../src/topology/index.js';
import { ModelServer, reply } from '../support/model_server.js';
import { RecordingEmitter } from '../support/lookout.js';

// Records carry the current time: this test is about LLM slots, not clock skew.
function lines(service: string, message: string) {
  const start = Date.now();
  return Array.from({ length: 10 }, (_, i) => ({ service, host: 'h', message: `${message} #${i}`, timestamp: new Date(start + i).toISOString() }));
}

it('keeps analyzing quiet windows while the model hangs on the flagged ones', async () => {
  const model = await ModelServer.start({ otherwise: reply.hang() });
  const config = LookoutConfigSchema.parse({
    sources: { http: { address: '127.0.0.1', port: 0 }, forward: { enabled: false } },
    windows: { max_lines: 10 },
    analysis: {
      concurrency: 1,
      detector: { gate: { threshold: 0.4, sample_rate: 0 } },
      llm: { base_url: model.baseUrl, model: 'test', mode: 'gated', timeout_seconds: 60, retries: 0, concurrency: 2 },
    },
    sinks: [],
    shutdown: { drain_timeout_seconds: 20 },
  });
  const metrics = createMetrics();
  const emitter = new RecordingEmitter();
  const lookout = await startLookout(config, { metrics, emitter, logger: createLogger('silent'), tickMs: 50 });
  const post = (body: unknown) =>
    fetch(`http://127.0.0.1:${lookout.http!.port}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const analyzed = async () => (await metrics.recordsAnalyzed.get()).values[0]?.value ?? 0;

  // two windows the detector flags (out of memory is critical at its first line): both go to the model, which hangs
  expect((await post(lines('api', 'java.lang.OutOfMemoryError: Java heap space'))).status).toBe(200);
  expect((await post(lines('worker', 'java.lang.OutOfMemoryError: Java heap space'))).status).toBe(200);
  await expect.poll(() => model.requests.length).toBe(2);
  // a quiet window is not sent, and is analyzed although both model requests are still pending
  expect((await post(lines('web', 'GET /health 200'))).status).toBe(200);
  await expect.poll(analyzed).toBe(10);
  expect(model.requests).toHaveLength(2);

  // the model goes away: the flagged windows fall back to the detector, marked degraded, and nothing is lost
  await model.close();
  const report = await lookout.shutdown();
  expect(report).toEqual({ recordsReceived: 30, recordsAnalyzed: 30, anomaliesLost: 0, drained: true });
  const degraded = emitter.records.filter((r) => r.anomaly.type === 'out_of_memory');
  expect(new Set(degraded.map((r) => r.service.name))).toEqual(new Set(['api', 'worker']));
  expect(degraded.every((r) => r.anomaly.analysis === 'degraded')).toBe(true);
});
