import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NotificationsConfigSchema, SinksConfigSchema } from '../../src/sinks/config.js';
import { createSinks } from '../../src/sinks/index.js';
import type { AnomalyRecord } from '../../src/sinks/record.js';
import { anomalyRecord, FAST_RETRY, metricValue, readNdjson, testDeps, useScratch, waitFor, type TestServer } from './support/helpers.js';

const MIN = 60_000;
const scratch = useScratch('lookout-emitter-');

function server(status: number): Promise<TestServer> {
  return scratch.server((_req, res) => res.writeHead(status).end(status === 200 ? 'ok' : ''));
}

describe('createSinks / AnomalyEmitter', () => {
  it('fans every record out to pipeline sinks and routes notifications by the default policy with suppression', async () => {
    const slack = await server(200);
    const pagerduty = await server(202);
    const hook = await server(200);
    let t = Date.UTC(2026, 7, 21, 10);
    const deps = testDeps({ now: () => t });
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (c: Buffer) => (printed += c.toString()));
    const emitter = createSinks(
      {
        sinks: SinksConfigSchema.parse([
          { type: 'stdout' },
          { type: 'file', name: 'archive', path: join(scratch.dir, 'all.ndjson') },
          { type: 'http', name: 'deduped', uri: hook.url, apply_suppression: true, min_severity: 'medium', ...FAST_RETRY },
        ]),
        notifications: NotificationsConfigSchema.parse({
          slack: { webhook_url: slack.url },
          pagerduty: { routing_key: 'k'.repeat(32), endpoint: pagerduty.url },
          file: { path: join(scratch.dir, 'review.ndjson') },
        }),
      },
      { ...deps, stdout },
    );
    expect(emitter.sinks.map((s) => s.name)).toEqual(['stdout', 'archive', 'deduped']);
    expect([...emitter.channels.keys()].sort()).toEqual(['file', 'pagerduty', 'slack']);

    const batch1 = [
      anomalyRecord({ severity: 'critical', templates: ['crit'] }),
      anomalyRecord({ severity: 'high', templates: ['high'] }),
      anomalyRecord({ severity: 'medium', templates: ['med'] }),
      anomalyRecord({ severity: 'low', templates: ['low'] }),
    ];
    await emitter.emit(batch1);
    t += 5 * MIN;
    const repeat = anomalyRecord({ severity: 'critical', templates: ['crit'] });
    await emitter.emit([repeat]);
    t += 16 * MIN;
    const later = anomalyRecord({ severity: 'critical', templates: ['crit'] });
    await emitter.emit([later]);
    await emitter.close(5_000);

    const all = [...batch1, repeat, later];
    expect(printed.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(all);
    expect(await readNdjson(join(scratch.dir, 'all.ndjson'))).toEqual(all);

    const pd = pagerduty.requests.map((r) => JSON.parse(r.body));
    expect(pd.map((b) => b.payload.custom_details.anomaly_id)).toEqual([batch1[0].anomaly.id, later.anomaly.id]);
    expect(pd[0].payload.custom_details.suppressed_count).toBeUndefined();
    expect(pd[1].payload.custom_details.suppressed_count).toBe(1);
    expect(slack.requests.map((r) => JSON.parse(r.body).text.split(' ')[0])).toEqual(['HIGH', 'MEDIUM']);
    expect((await readNdjson(join(scratch.dir, 'review.ndjson'))).map((r) => r.anomaly.id)).toEqual([batch1[3].anomaly.id]);

    const deduped = hook.requests.flatMap((r) => JSON.parse(r.body) as AnomalyRecord[]);
    expect(deduped.map((r) => r.anomaly.id)).toEqual([batch1[0], batch1[1], batch1[2], later].map((r) => r.anomaly.id));
    expect(deduped[3].anomaly.suppressed_count).toBe(1);

    const emitted = (labels: Record<string, string>) => metricValue(deps, 'lookout_anomalies_emitted_total', labels);
    expect(await emitted({ sink: 'archive' })).toBe(6);
    expect(await emitted({ sink: 'archive', severity: 'critical' })).toBe(3);
    expect(await emitted({ sink: 'deduped' })).toBe(4);
    expect(await emitted({ sink: 'notifications.pagerduty' })).toBe(2);
    expect(await emitted({ sink: 'notifications.slack' })).toBe(2);
    expect(await emitted({ sink: 'notifications.file', severity: 'low' })).toBe(1);
    expect(await metricValue(deps, 'lookout_notifications_suppressed_total', { severity: 'critical' })).toBe(1);
  });

  it('a failing sink blocks neither the caller nor the other sinks', async () => {
    const hung = await scratch.server(() => undefined);
    const deps = testDeps();
    const emitter = createSinks(
      {
        sinks: SinksConfigSchema.parse([
          { type: 'http', name: 'hung', uri: hung.url, timeout_ms: 60_000, ...FAST_RETRY },
          { type: 'file', path: join(scratch.dir, 'ok.ndjson') },
        ]),
        notifications: NotificationsConfigSchema.parse({}),
      },
      deps,
    );
    const recs = Array.from({ length: 20 }, () => anomalyRecord());
    for (const r of recs) await emitter.emit([r]);
    await waitFor(async () => (await readNdjson(join(scratch.dir, 'ok.ndjson')).catch(() => [])).length === 20, 'file sink to receive everything');
    expect(await metricValue(deps, 'lookout_sink_queued_records', { sink: 'hung' })).toBe(20);
    await emitter.close(100);
    expect(await metricValue(deps, 'lookout_sink_records_dropped_total', { sink: 'hung', reason: 'shutdown' })).toBe(20);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'file' })).toBe(20);
  });

  it('follows configured routes to the generic webhook, filtering pipeline sinks by min_severity', async () => {
    const hook = await server(200);
    const deps = testDeps();
    const emitter = createSinks(
      {
        sinks: SinksConfigSchema.parse([{ type: 'file', path: join(scratch.dir, 'serious.ndjson'), min_severity: 'high' }]),
        notifications: NotificationsConfigSchema.parse({
          routes: [{ service: ['checkout'], channels: ['webhook'], continue: true }, { type: ['silence'], channels: ['webhook'] }],
          webhook: { uri: `${hook.url}/alerts`, headers: { 'X-Source': 'lookout' } },
        }),
      },
      deps,
    );
    const recs = [
      anomalyRecord({ service: 'checkout', severity: 'low', templates: ['a'] }),
      anomalyRecord({ service: 'payments', type: 'silence', severity: 'critical', templates: ['b'] }),
      anomalyRecord({ service: 'payments', severity: 'high', templates: ['c'] }),
    ];
    await emitter.emit(recs);
    await emitter.close(5_000);
    const sent = hook.requests.flatMap((r) => JSON.parse(r.body) as AnomalyRecord[]);
    expect(hook.requests.every((r) => r.url === '/alerts' && r.headers['x-source'] === 'lookout')).toBe(true);
    expect(sent).toEqual(recs.slice(0, 2));
    expect(await readNdjson(join(scratch.dir, 'serious.ndjson'))).toEqual(recs.slice(1));
  });
});
