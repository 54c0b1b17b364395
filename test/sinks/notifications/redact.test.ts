import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NotificationsConfigSchema, SinksConfigSchema } from '../../../src/sinks/config.js';
import { createSinks } from '../../../src/sinks/index.js';
import { NotificationRedactionConfigSchema, redactRecord } from '../../../src/sinks/notifications/redact.js';
import { suppressionKey } from '../../../src/sinks/notifications/suppression.js';
import type { AnomalyRecord } from '../../../src/sinks/record.js';
import { anomalyRecord, readNdjson, testDeps, useScratch, type TestServer } from '../support/helpers.js';

const BEARER = 'eyZabc123def456ghi789';
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const URL_PASSWORD = 's3cr3tPass';
const EMAIL = 'alice@example.com';
const SECRETS = [BEARER, AWS_KEY, URL_PASSWORD, EMAIL];
const LEAKY_LINE = `2024-05-01T12:00:00Z ERROR payments upstream 401 for ${EMAIL}: Authorization: Bearer ${BEARER} key=${AWS_KEY} db=postgres://app:${URL_PASSWORD}@db-1:5432/pay`;

function leakyRecord(): AnomalyRecord {
  return anomalyRecord({
    severity: 'high',
    summary: `Token ${BEARER} rejected for ${EMAIL}`,
    evidence: [LEAKY_LINE, `2024-05-01T12:00:01Z ERROR payments retry with Bearer ${BEARER} failed`],
    recommended_action: `Rotate the key ${AWS_KEY} and tell ${EMAIL}.`,
    templates: [`upstream 401 for <*> key=${AWS_KEY}`],
  });
}

const DEFAULT_REDACTION = NotificationRedactionConfigSchema.parse({});

describe('redactRecord', () => {
  it('redacts service, host and stream names like the text, with the same placeholders', () => {
    const record = leakyRecord();
    const named = { ...record, service: { name: `billing ${EMAIL}` }, host: { name: `key=${AWS_KEY}` }, window: { ...record.window, stream: `billing ${EMAIL}|key=${AWS_KEY}` } };
    const out = redactRecord(named, DEFAULT_REDACTION);
    expect(out.service.name).toBe('billing <EMAIL_1>');
    expect(out.host.name).toBe('key=<ACCESS_KEY_1>');
    expect(out.window.stream).toBe('billing <EMAIL_1>|key=<ACCESS_KEY_1>');
    expect(out.anomaly.evidence[0]).toContain('401 for <EMAIL_1>:');
  });

  it('returns a redacted copy with one placeholder per value across all text fields, leaving the input alone', () => {
    const record = leakyRecord();
    const before = structuredClone(record);
    const out = redactRecord(record, DEFAULT_REDACTION);
    expect(record).toEqual(before);
    const text = JSON.stringify(out);
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(out.anomaly.evidence[0]).toBe(
      '2024-05-01T12:00:00Z ERROR payments upstream 401 for <EMAIL_1>: Authorization: Bearer <TOKEN_1> key=<ACCESS_KEY_1> db=postgres://app:<PASSWORD_1>@db-1:5432/pay',
    );
    expect(out.anomaly.evidence[1]).toBe('2024-05-01T12:00:01Z ERROR payments retry with Bearer <TOKEN_1> failed');
    expect(out.anomaly.summary).toBe('Token <TOKEN_1> rejected for <EMAIL_1>');
    expect(out.anomaly.recommended_action).toBe('Rotate the key <ACCESS_KEY_1> and tell <EMAIL_1>.');
    expect(out.message).toBe('high error_burst in payments on web-1: Token <TOKEN_1> rejected for <EMAIL_1>');
    expect(out.anomaly.templates).toEqual(['upstream 401 for <*> key=<ACCESS_KEY_1>']);
    expect({ ...out, message: record.message, anomaly: { ...out.anomaly, ...pick(record.anomaly) } }).toEqual(record);
  });

  it('redacts the main template the same whatever else the record holds, so the PagerDuty dedup key is stable', () => {
    const a = leakyRecord();
    const b = { ...a, anomaly: { ...a.anomaly, evidence: [`user bob@example.org key=AKIAZZZZZZZZZZZZZZZZ`, ...a.anomaly.evidence] } };
    expect(suppressionKey(redactRecord(a, DEFAULT_REDACTION))).toBe(suppressionKey(redactRecord(b, DEFAULT_REDACTION)));
  });

  it('applies the configured extras: IP addresses and custom patterns', () => {
    const record = anomalyRecord({ evidence: ['conn from 10.1.2.3 for order ORD-99812 refused'], templates: [] });
    expect(redactRecord(record, DEFAULT_REDACTION).anomaly.evidence).toEqual(record.anomaly.evidence);
    const cfg = NotificationRedactionConfigSchema.parse({ ip_addresses: true, patterns: [{ name: 'order', regex: 'ORD-\\d+' }] });
    expect(redactRecord(record, cfg).anomaly.evidence).toEqual(['conn from <IP_1> for order <ORDER_1> refused']);
  });
});

function pick(a: AnomalyRecord['anomaly']) {
  return { summary: a.summary, evidence: a.evidence, recommended_action: a.recommended_action, templates: a.templates };
}

describe('AnomalyEmitter redaction', () => {
  const scratch = useScratch('lookout-redact-');

  function webhookServer(): Promise<TestServer> {
    return scratch.server((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  }

  it('notification channels get placeholders; pipeline sinks get the raw line unless they set redact: true', async () => {
    const slack = await webhookServer();
    const pagerduty = await webhookServer();
    const hook = await webhookServer();
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (c: Buffer) => (printed += c.toString()));
    const emitter = createSinks(
      {
        sinks: SinksConfigSchema.parse([
          { type: 'stdout' },
          { type: 'file', name: 'raw', path: join(scratch.dir, 'raw.ndjson') },
          { type: 'file', name: 'redacted', path: join(scratch.dir, 'redacted.ndjson'), redact: true },
        ]),
        notifications: NotificationsConfigSchema.parse({
          slack: { webhook_url: `${slack.url}/services/T0/B0/X`, max_evidence: 5 },
          pagerduty: { routing_key: 'k'.repeat(32), endpoint: pagerduty.url },
          webhook: { uri: hook.url },
          routes: [{ channels: ['slack', 'pagerduty', 'webhook'] }],
        }),
      },
      { ...testDeps(), stdout },
    );
    const record = leakyRecord();
    await emitter.emit([record]);
    await emitter.close(5_000);

    expect(slack.requests).toHaveLength(1);
    expect(pagerduty.requests).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    for (const req of [...slack.requests, ...pagerduty.requests, ...hook.requests]) {
      for (const s of SECRETS) expect(req.body).not.toContain(s);
    }
    const slackText = JSON.stringify(JSON.parse(slack.requests[0].body));
    // Slack escapes < and > as mrkdwn requires.
    for (const p of ['&lt;TOKEN_1&gt;', '&lt;ACCESS_KEY_1&gt;', '&lt;PASSWORD_1&gt;', '&lt;EMAIL_1&gt;']) expect(slackText).toContain(p);
    expect(slackText).toContain('ERROR payments upstream 401 for &lt;EMAIL_1&gt;: Authorization: Bearer &lt;TOKEN_1&gt;');
    const pd = JSON.parse(pagerduty.requests[0].body) as { payload: { summary: string; custom_details: { evidence: string[]; recommended_action: string } } };
    expect(pd.payload.summary).toBe('[high] payments: Token <TOKEN_1> rejected for <EMAIL_1>');
    expect(pd.payload.custom_details.evidence[0]).toContain('db=postgres://app:<PASSWORD_1>@db-1:5432/pay');
    const hooked = JSON.parse(hook.requests[0].body) as AnomalyRecord[];
    expect(hooked[0].anomaly.id).toBe(record.anomaly.id);
    expect(hooked[0].anomaly.evidence).toEqual(redactRecord(record, DEFAULT_REDACTION).anomaly.evidence);

    const printedRecords = printed.trimEnd().split('\n').map((l) => JSON.parse(l) as AnomalyRecord);
    expect(printedRecords).toEqual([record]);
    expect(printedRecords[0].anomaly.evidence[0]).toBe(LEAKY_LINE);
    expect(await readNdjson(join(scratch.dir, 'raw.ndjson'))).toEqual([record]);
    const redacted = await readNdjson(join(scratch.dir, 'redacted.ndjson'));
    expect(redacted).toEqual([redactRecord(record, DEFAULT_REDACTION)]);
    expect(redacted[0].anomaly.evidence[0]).toContain('Authorization: Bearer <TOKEN_1> key=<ACCESS_KEY_1>');
  });

  it('with notifications.redaction.enabled: false the channels get the raw record', async () => {
    const slack = await webhookServer();
    const emitter = createSinks(
      {
        sinks: SinksConfigSchema.parse([]),
        notifications: NotificationsConfigSchema.parse({ slack: { webhook_url: slack.url, max_evidence: 1 }, redaction: { enabled: false } }),
      },
      testDeps(),
    );
    await emitter.emit([leakyRecord()]);
    await emitter.close(5_000);
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0].body).toContain(`Bearer ${BEARER}`);
    expect(slack.requests[0].body).toContain(AWS_KEY);
  });
});
