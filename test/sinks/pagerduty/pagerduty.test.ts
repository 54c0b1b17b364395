import { afterEach, describe, expect, it } from 'vitest';
import { suppressionKey } from '../../../src/sinks/notifications/suppression.js';
import { PagerDutyOptionsSchema } from '../../../src/sinks/pagerduty/config.js';
import { PAGERDUTY_SEVERITY } from '../../../src/sinks/pagerduty/encoder.js';
import { createPagerDutySink } from '../../../src/sinks/pagerduty/sink.js';
import { anomalyRecord, FAST_RETRY, metricValue, startServer, testDeps, type TestServer } from '../support/helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

describe('pagerduty sink', () => {
  it('sends an Events API v2 trigger: routing_key, event_action, dedup_key = suppression key, payload summary/source/severity', async () => {
    server = await startServer((req, res) =>
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: JSON.parse(req.body).dedup_key })),
    );
    const deps = testDeps();
    const sink = createPagerDutySink('notifications.pagerduty', PagerDutyOptionsSchema.parse({ routing_key: ROUTING_KEY, endpoint: `${server.url}/v2/enqueue` }), deps);
    const recs = (['critical', 'high', 'medium', 'low'] as const).map((severity) => anomalyRecord({ severity }));
    await sink.send(recs);
    await sink.close(5_000);

    expect(server.requests).toHaveLength(4);
    const bodies = server.requests.map((r) => JSON.parse(r.body));
    expect(server.requests[0].url).toBe('/v2/enqueue');
    expect(server.requests[0].headers['content-type']).toBe('application/json');
    const first = bodies[0];
    expect(first.routing_key).toBe(ROUTING_KEY);
    expect(first.event_action).toBe('trigger');
    expect(first.dedup_key).toBe(suppressionKey(recs[0]));
    expect(first.payload.summary).toBe('[critical] payments: Error rate jumped from 0.1% to 12% after deploy');
    expect(first.payload.source).toBe('web-1');
    expect(first.payload.timestamp).toBe(recs[0]['@timestamp']);
    expect(first.payload.component).toBe('payments');
    expect(first.payload.class).toBe('error_burst');
    expect(first.payload.custom_details.anomaly_id).toBe(recs[0].anomaly.id);
    expect(first.payload.custom_details.evidence).toEqual(recs[0].anomaly.evidence);
    expect(bodies.map((b) => b.payload.severity)).toEqual(['critical', 'error', 'warning', 'info']);
    expect(PAGERDUTY_SEVERITY).toEqual({ critical: 'critical', high: 'error', medium: 'warning', low: 'info' });
    expect(new Set(bodies.map((b) => b.dedup_key)).size).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'notifications.pagerduty' })).toBe(4);
  });

  it('uses the configured source, retries 500, and fails a 400 invalid event', async () => {
    let n = 0;
    server = await startServer((req, res) => {
      n++;
      if (n === 1) return res.writeHead(500).end();
      if (JSON.parse(req.body).payload.class === 'bad') return res.writeHead(400).end('{"status":"invalid event","message":"Event object is invalid","errors":["x"]}');
      res.writeHead(202).end('{"status":"success"}');
    });
    const deps = testDeps();
    const sink = createPagerDutySink('pd', PagerDutyOptionsSchema.parse({ routing_key: ROUTING_KEY, endpoint: server.url, source: 'lookout-prod', ...FAST_RETRY }), deps);
    await sink.send([anomalyRecord(), anomalyRecord({ type: 'bad' })]);
    await sink.close(5_000);
    expect(server.requests).toHaveLength(3);
    expect(JSON.parse(server.requests[1].body).payload.source).toBe('lookout-prod');
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'pd' })).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_records_failed_total', { sink: 'pd' })).toBe(1);
  });
});
