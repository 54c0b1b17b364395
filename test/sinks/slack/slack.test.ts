import { afterEach, describe, expect, it } from 'vitest';
import { SlackOptionsSchema } from '../../../src/sinks/slack/config.js';
import { escapeMrkdwn, slackMessage } from '../../../src/sinks/slack/encoder.js';
import { createSlackSink } from '../../../src/sinks/slack/sink.js';
import { anomalyRecord, FAST_RETRY, metricValue, startServer, testDeps, type TestServer } from '../support/helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('slack encoder', () => {
  it('escapes mrkdwn control characters', () => {
    expect(escapeMrkdwn('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });

  it('mentions only on critical, and shows the suppressed count', () => {
    const base = anomalyRecord({ severity: 'critical' });
    const rec = { ...base, anomaly: { ...base.anomaly, suppressed_count: 4 } };
    const m = slackMessage(rec, { maxEvidence: 1, criticalMention: '<!here>' });
    expect(m.text.startsWith('<!here> CRITICAL error_burst in payments on web-1')).toBe(true);
    expect(JSON.stringify(m.blocks)).toContain('4 similar suppressed');
    expect(slackMessage(anomalyRecord({ severity: 'high' }), { maxEvidence: 1, criticalMention: '<!here>' }).text).not.toContain('<!here>');
  });
});

describe('slack sink', () => {
  it('posts one readable incoming-webhook message per anomaly: severity, service, summary, top evidence, action', async () => {
    server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    const deps = testDeps();
    const sink = createSlackSink('notifications.slack', SlackOptionsSchema.parse({ webhook_url: `${server.url}/services/T000/B000/XXXX` }), deps);
    const recs = [anomalyRecord({ summary: 'Pool <db> exhausted & failing' }), anomalyRecord({ severity: 'medium' })];
    await sink.send(recs);
    await sink.close(5_000);

    expect(server.requests).toHaveLength(2);
    const req = server.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/services/T000/B000/XXXX');
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ text: string }> }> };
    expect(body.text).toBe('HIGH error_burst in payments on web-1: Pool <db> exhausted & failing');
    const texts = body.blocks.map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(' ') ?? '');
    expect(body.blocks.every((b) => b.type === 'section' || b.type === 'context')).toBe(true);
    expect(texts[0]).toContain('*HIGH error_burst in payments on web-1*');
    expect(texts[0]).toContain('Pool &lt;db&gt; exhausted &amp; failing');
    expect(texts[1]).toContain('ERROR payments connection refused to db-1:5432');
    expect(texts[1]).toContain('WARN pool exhausted');
    expect(texts[1]).not.toContain('fourth line');
    expect(texts[2]).toContain('Check db-1 health and the connection pool size.');
    expect(texts[3]).toContain(recs[0].anomaly.id);
    expect(JSON.parse(server.requests[1].body).text).toMatch(/^MEDIUM /);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'notifications.slack' })).toBe(2);
  });

  it('retries a 429 with Retry-After and gives up on 404 no_service', async () => {
    let n = 0;
    server = await startServer((req, res) => {
      n++;
      if (req.url === '/gone') return res.writeHead(404).end('no_service');
      if (n === 1) return res.writeHead(429, { 'retry-after': '0' }).end('rate_limited');
      res.writeHead(200).end('ok');
    });
    const deps = testDeps();
    const ok = createSlackSink('s1', SlackOptionsSchema.parse({ webhook_url: `${server.url}/hook`, ...FAST_RETRY }), deps);
    await ok.send([anomalyRecord()]);
    await ok.close(5_000);
    const gone = createSlackSink('s2', SlackOptionsSchema.parse({ webhook_url: `${server.url}/gone`, ...FAST_RETRY }), deps);
    await gone.send([anomalyRecord()]);
    await gone.close(5_000);
    expect(server.requests.map((r) => r.url)).toEqual(['/hook', '/hook', '/gone']);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 's1' })).toBe(1);
    expect(await metricValue(deps, 'lookout_sink_records_failed_total', { sink: 's2' })).toBe(1);
  });
});
