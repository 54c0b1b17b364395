import { afterEach, describe, expect, it } from 'vitest';
import { ElasticsearchSinkOptionsSchema } from '../../../src/sinks/elasticsearch/config.js';
import { BulkResponseError, classifyBulkResponse } from '../../../src/sinks/elasticsearch/encoder.js';
import { createElasticsearchSink } from '../../../src/sinks/elasticsearch/sink.js';
import { anomalyRecord, FAST_RETRY, metricValue, startServer, testDeps, type TestServer } from '../support/helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface BulkPair {
  action: { create: { _index: string; _id: string } };
  doc: Record<string, unknown>;
}

function parseBulk(body: string): BulkPair[] {
  expect(body.endsWith('\n')).toBe(true);
  const lines = body.slice(0, -1).split('\n');
  expect(lines.length % 2).toBe(0);
  const pairs: BulkPair[] = [];
  for (let i = 0; i < lines.length; i += 2) pairs.push({ action: JSON.parse(lines[i]), doc: JSON.parse(lines[i + 1]) });
  return pairs;
}

const item = (status: number, id: string, error?: { type: string; reason: string }) => ({ create: { _index: 'logs-lookout.anomaly-default', _id: id, status, ...(error ? { error } : {}) } });

describe('elasticsearch sink', () => {
  it('bulk-creates with _id = anomaly.id; 409 is delivered, a 429 item is retried alone, a 400 item counts as failed', async () => {
    const bodies: BulkPair[][] = [];
    server = await startServer((req, res) => {
      const pairs = parseBulk(req.body);
      bodies.push(pairs);
      const items = pairs.map(({ action, doc }) => {
        const summary = (doc.anomaly as { summary: string }).summary;
        if (summary === 'exists') return item(409, action.create._id, { type: 'version_conflict_engine_exception', reason: 'document already exists' });
        if (summary === 'busy' && bodies.length === 1) return item(429, action.create._id, { type: 'es_rejected_execution_exception', reason: 'rejected execution' });
        if (summary === 'bad') return item(400, action.create._id, { type: 'document_parsing_exception', reason: 'failed to parse field' });
        return item(201, action.create._id);
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ took: 3, errors: items.some((i) => i.create.status >= 300), items }));
    });
    const deps = testDeps();
    const sink = createElasticsearchSink(
      'es',
      ElasticsearchSinkOptionsSchema.parse({ endpoint: server.url, auth: { strategy: 'api_key', api_key: 'id1:key1' }, ...FAST_RETRY }),
      deps,
    );
    const recs = ['ok', 'exists', 'busy', 'bad'].map((summary) => anomalyRecord({ summary }));
    await sink.send(recs);
    await sink.close(5_000);

    expect(server.requests).toHaveLength(2);
    const first = server.requests[0];
    expect(first.method).toBe('POST');
    expect(first.url).toBe('/_bulk');
    expect(first.headers['content-type']).toBe('application/x-ndjson');
    expect(first.headers.authorization).toBe(`ApiKey ${Buffer.from('id1:key1').toString('base64')}`);
    expect(bodies[0].map((p) => p.action)).toEqual(recs.map((r) => ({ create: { _index: 'logs-lookout.anomaly-default', _id: r.anomaly.id } })));
    expect(bodies[0].map((p) => p.doc)).toEqual(recs);
    expect(bodies[0][0].doc['@timestamp']).toBe(recs[0]['@timestamp']);
    expect(bodies[1].map((p) => (p.doc.anomaly as { summary: string }).summary)).toEqual(['busy']);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'es' })).toBe(3);
    expect(await metricValue(deps, 'lookout_sink_records_retried_total', { sink: 'es' })).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_records_failed_total', { sink: 'es' })).toBe(1);
  });

  it('retries the whole request on a 503, with basic auth, an index and an ingest pipeline', async () => {
    let n = 0;
    server = await startServer((req, res) => {
      if (++n === 1) return res.writeHead(503).end('{"error":"unavailable"}');
      const pairs = parseBulk(req.body);
      res.writeHead(200).end(JSON.stringify({ errors: false, items: pairs.map((p) => item(201, p.action.create._id)) }));
    });
    const deps = testDeps();
    const sink = createElasticsearchSink(
      'es',
      ElasticsearchSinkOptionsSchema.parse({ endpoint: `${server.url}/`, index: 'anomalies', pipeline: 'lookout', auth: { strategy: 'basic', user: 'elastic', password: 'pw' }, ...FAST_RETRY }),
      deps,
    );
    await sink.send([anomalyRecord(), anomalyRecord()]);
    await sink.close(5_000);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].url).toBe('/_bulk?pipeline=lookout');
    expect(server.requests[1].headers.authorization).toBe(`Basic ${Buffer.from('elastic:pw').toString('base64')}`);
    expect(parseBulk(server.requests[1].body).every((p) => p.action.create._index === 'anomalies')).toBe(true);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'es' })).toBe(2);
  });

  it('refuses a response it cannot match to the request', () => {
    const recs = [anomalyRecord(), anomalyRecord()];
    expect(() => classifyBulkResponse(recs, 'not json')).toThrow(BulkResponseError);
    expect(() => classifyBulkResponse(recs, JSON.stringify({ errors: true, items: [item(400, 'x')] }))).toThrow(/1 items for 2/);
    expect(classifyBulkResponse(recs, JSON.stringify({ errors: false, items: [] }))).toEqual({ retry: [], failed: [], reasons: [] });
  });
});
