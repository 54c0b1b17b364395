import { afterEach, describe, expect, it } from 'vitest';
import { LokiSinkOptionsSchema } from '../../../src/sinks/loki/config.js';
import { encodeLokiPush, unixNanos } from '../../../src/sinks/loki/encoder.js';
import { createLokiSink } from '../../../src/sinks/loki/sink.js';
import { anomalyRecord, FAST_RETRY, metricValue, startServer, testDeps, type TestServer } from '../support/helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('loki encoder', () => {
  it('turns ISO @timestamp into a Unix-nanosecond string', () => {
    expect(unixNanos('2026-08-21T10:00:00.123Z')).toBe('1787306400123000000');
    expect(() => unixNanos('yesterday')).toThrow(RangeError);
  });

  it('sends 2-element values when structured metadata is off and can use the message as the line', () => {
    const r = anomalyRecord();
    const body = encodeLokiPush([r], LokiSinkOptionsSchema.parse({ endpoint: 'http://loki:3100', structured_metadata: {}, line: 'message', labels: { service_name: 'service.name' }, static_labels: {} }));
    expect(body).toEqual({ streams: [{ stream: { service_name: 'payments' }, values: [[unixNanos(r['@timestamp']), r.message]] }] });
  });
});

describe('loki sink', () => {
  it('pushes low-cardinality streams with ns string timestamps, structured metadata, the JSON line and the tenant header', async () => {
    server = await startServer((_req, res) => res.writeHead(204).end());
    const deps = testDeps();
    const sink = createLokiSink('loki', LokiSinkOptionsSchema.parse({ endpoint: `${server.url}/`, tenant_id: 'ops' }), deps);
    const a = anomalyRecord({ severity: 'high' });
    const b = anomalyRecord({ severity: 'critical', type: 'silence', service: 'checkout', host: 'web-2' });
    const c = anomalyRecord({ severity: 'high' });
    await sink.send([a, b, c]);
    await sink.close(5_000);

    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/loki/api/v1/push');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-scope-orgid']).toBe('ops');
    const body = JSON.parse(req.body);
    expect(body.streams).toHaveLength(2);
    const [s1, s2] = body.streams;
    expect(s1.stream).toEqual({ source: 'lookout', service_name: 'payments', severity: 'high', type: 'error_burst' });
    expect(s2.stream).toEqual({ source: 'lookout', service_name: 'checkout', severity: 'critical', type: 'silence' });
    expect(s1.values).toHaveLength(2);
    for (const [value, rec] of [[s1.values[0], a], [s1.values[1], c], [s2.values[0], b]] as const) {
      expect(value).toHaveLength(3);
      expect(typeof value[0]).toBe('string');
      expect(value[0]).toMatch(/^\d{19}$/);
      expect(BigInt(value[0])).toBe(BigInt(Date.parse(rec['@timestamp'])) * 1_000_000n);
      expect(JSON.parse(value[1])).toEqual(rec);
      expect(value[2]).toEqual({ anomaly_id: rec.anomaly.id, host_name: rec.host.name, detector: 'embedded', window_stream: rec.window.stream });
      expect(Object.values(value[2]).every((v) => typeof v === 'string')).toBe(true);
    }
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'loki' })).toBe(3);
  });

  it('retries a 429 and gzips when asked', async () => {
    let n = 0;
    server = await startServer((_req, res) => (++n === 1 ? res.writeHead(429, { 'retry-after': '0' }).end('rate limited') : res.writeHead(204).end()));
    const deps = testDeps();
    const sink = createLokiSink('loki', LokiSinkOptionsSchema.parse({ endpoint: server.url, compression: 'gzip', auth: { strategy: 'basic', user: 'u', password: 'p' }, ...FAST_RETRY }), deps);
    await sink.send([anomalyRecord()]);
    await sink.close(5_000);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].headers['content-encoding']).toBe('gzip');
    expect(server.requests[1].headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(JSON.parse(server.requests[1].body).streams[0].values).toHaveLength(1);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'loki' })).toBe(1);
  });

  it('rejects label names Loki would refuse', () => {
    expect(() => LokiSinkOptionsSchema.parse({ endpoint: 'http://l', labels: { 'service.name': 'service.name' } })).toThrow();
  });
});
