import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSinkOptionsSchema } from '../../../src/sinks/http/config.js';
import { createHttpSink } from '../../../src/sinks/http/sink.js';
import { anomalyRecord, FAST_RETRY, metricValue, startServer, testDeps, waitFor, type TestServer } from '../support/helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('http sink', () => {
  it('POSTs gzip NDJSON with a bearer token and custom headers (Vector http_server, newline framing)', async () => {
    server = await startServer((_req, res) => res.writeHead(200).end());
    const deps = testDeps();
    const options = HttpSinkOptionsSchema.parse({
      uri: `${server.url}/anomalies`,
      format: 'ndjson',
      compression: 'gzip',
      auth: { strategy: 'bearer', token: 's3cret' },
      headers: { 'X-Tenant': 'team-a' },
    });
    const sink = createHttpSink('vector', options, deps);
    const recs = [anomalyRecord(), anomalyRecord({ severity: 'critical' })];
    await sink.send(recs);
    await sink.close(5_000);

    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/anomalies');
    expect(req.headers['content-type']).toBe('application/x-ndjson');
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(req.headers.authorization).toBe('Bearer s3cret');
    expect(req.headers['x-tenant']).toBe('team-a');
    expect(req.body.endsWith('\n')).toBe(true);
    expect(req.body.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(recs);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'vector' })).toBe(2);
  });

  it('POSTs a one-line JSON array with basic auth (Fluent Bit in_http answers 201)', async () => {
    server = await startServer((_req, res) => res.writeHead(201).end());
    const deps = testDeps();
    const sink = createHttpSink('fluentbit', HttpSinkOptionsSchema.parse({ uri: `${server.url}/lookout.anomaly`, auth: { strategy: 'basic', user: 'lookout', password: 'pw' } }), deps);
    const recs = [anomalyRecord(), anomalyRecord()];
    await sink.send(recs);
    await sink.close(5_000);
    const req = server.requests[0];
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['content-encoding']).toBeUndefined();
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('lookout:pw').toString('base64')}`);
    expect(req.body).not.toContain('\n');
    expect(JSON.parse(req.body)).toEqual(recs);
  });

  it('retries after a 503 (honouring Retry-After) and counts a 400 as failed without retrying it', async () => {
    let n = 0;
    server = await startServer((req, res) => {
      n++;
      if (n === 1) return res.writeHead(503, { 'retry-after': '0' }).end('busy');
      if (JSON.parse(req.body)[0].anomaly.summary === 'bad') return res.writeHead(400).end('{"code":400,"message":"Failed decoding body"}');
      res.writeHead(200).end();
    });
    const deps = testDeps();
    const sink = createHttpSink('h', HttpSinkOptionsSchema.parse({ uri: server.url, batch_max_records: 1, ...FAST_RETRY }), deps);
    const good = anomalyRecord({ summary: 'good' });
    await sink.send([good, anomalyRecord({ summary: 'bad' })]);
    await sink.close(5_000);
    expect(server.requests.map((r) => JSON.parse(r.body)[0].anomaly.summary)).toEqual(['good', 'good', 'bad']);
    expect(await metricValue(deps, 'lookout_sink_records_retried_total', { sink: 'h' })).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'h' })).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_records_failed_total', { sink: 'h' })).toBe(1);
  });

  it('loses nothing when the receiver comes back within the buffer (connection refused, then up on the same port)', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    const deps = testDeps();
    const sink = createHttpSink('late', HttpSinkOptionsSchema.parse({ uri: `http://127.0.0.1:${port}/`, batch_max_records: 5, ...FAST_RETRY }), deps);
    const recs = Array.from({ length: 12 }, () => anomalyRecord());
    await sink.send(recs.slice(0, 6));
    await waitFor(async () => (await metricValue(deps, 'lookout_sink_records_retried_total', { sink: 'late' })) >= 5, 'connection-refused retries');
    await sink.send(recs.slice(6));

    const received: unknown[] = [];
    const http = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(...JSON.parse(Buffer.concat(chunks).toString()));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => http.listen(port, '127.0.0.1', r));
    try {
      await sink.close(5_000);
      expect(received).toEqual(recs);
      expect(await metricValue(deps, 'lookout_sink_records_dropped_total', { sink: 'late' })).toBe(0);
      expect(await metricValue(deps, 'lookout_sink_records_failed_total', { sink: 'late' })).toBe(0);
    } finally {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  });

  it('rejects unknown keys and non-http URLs', () => {
    expect(() => HttpSinkOptionsSchema.parse({ uri: 'http://x/', formt: 'json' })).toThrow();
    expect(() => HttpSinkOptionsSchema.parse({ uri: 'ftp://x/' })).toThrow();
    const d = HttpSinkOptionsSchema.parse({ uri: 'http://x/' });
    expect(d).toMatchObject({ method: 'POST', format: 'json', compression: 'none', timeout_ms: 10_000, buffer_max_records: 10_000, batch_max_records: 100 });
  });
});
