import { describe, expect, it } from 'vitest';
import { NotificationsConfigSchema, SinkConfigSchema, SinksConfigSchema } from '../../src/sinks/config.js';

describe('SinksConfigSchema', () => {
  it('defaults to one stdout sink', () => {
    expect(SinksConfigSchema.parse(undefined)).toEqual([{ type: 'stdout', min_severity: 'low', apply_suppression: false, redact: false, buffer_max_records: 10_000, batch_max_records: 100 }]);
  });

  it('fills each sink type with its defaults', () => {
    const [fwd, loki, es] = SinksConfigSchema.parse([
      { type: 'forward' },
      { type: 'loki', endpoint: 'http://loki:3100' },
      { type: 'elasticsearch', endpoint: 'https://es:9200' },
    ]);
    expect(fwd).toMatchObject({ host: '127.0.0.1', port: 24224, tag: 'lookout.anomaly', event_mode: 'forward', require_ack: true, ack_timeout_ms: 10_000 });
    expect(loki).toMatchObject({ path: '/loki/api/v1/push', labels: { service_name: 'service.name', severity: 'anomaly.severity', type: 'anomaly.type' }, batch_max_records: 500 });
    expect(es).toMatchObject({ index: 'logs-lookout.anomaly-default', compression: 'none', retry_initial_backoff_ms: 500, retry_max_backoff_ms: 30_000 });
    expect((es as { retry_max_attempts?: number }).retry_max_attempts).toBeUndefined();
  });

  it('allows several instances of a type only with distinct names', () => {
    expect(SinksConfigSchema.parse([{ type: 'http', uri: 'http://a/' }, { type: 'http', name: 'b', uri: 'http://b/' }])).toHaveLength(2);
    const dup = SinksConfigSchema.safeParse([{ type: 'http', uri: 'http://a/' }, { type: 'http', uri: 'http://b/' }]);
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0].message).toMatch(/duplicate sink name "http"/);
  });

  it('rejects unknown types and keys', () => {
    expect(SinkConfigSchema.safeParse({ type: 'kafka' }).success).toBe(false);
    expect(SinkConfigSchema.safeParse({ type: 'stdout', colour: true }).success).toBe(false);
    expect(SinkConfigSchema.safeParse({ type: 'file' }).success).toBe(false);
  });
});

describe('NotificationsConfigSchema', () => {
  it('defaults to a 20-minute suppression window, redaction on, and no channels', () => {
    expect(NotificationsConfigSchema.parse({})).toEqual({
      suppression_minutes: 20,
      suppression_max_keys: 10_000,
      redaction: { enabled: true, ip_addresses: false, patterns: [], max_values: 10_000 },
    });
  });

  it('validates the redaction block like llm.redaction, plus enabled', () => {
    const custom = NotificationsConfigSchema.parse({ redaction: { enabled: false, ip_addresses: true, patterns: [{ name: 'order', regex: 'ord-\\d+' }] } });
    expect(custom.redaction).toEqual({ enabled: false, ip_addresses: true, patterns: [{ name: 'order', regex: 'ord-\\d+', ignore_case: false }], max_values: 10_000 });
    expect(NotificationsConfigSchema.safeParse({ redaction: { enable: false } }).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: ['redaction'] });
    expect(NotificationsConfigSchema.safeParse({ redaction: { patterns: [{ name: 'x', regex: '(' }] } }).success).toBe(false);
    expect(SinkConfigSchema.safeParse({ type: 'stdout', redact: 'yes' }).success).toBe(false);
  });

  it('allows a suppression window of 15 to 30 minutes', () => {
    expect(NotificationsConfigSchema.safeParse({ suppression_minutes: 15 }).success).toBe(true);
    expect(NotificationsConfigSchema.safeParse({ suppression_minutes: 30 }).success).toBe(true);
    expect(NotificationsConfigSchema.safeParse({ suppression_minutes: 10 }).success).toBe(false);
    expect(NotificationsConfigSchema.safeParse({ suppression_minutes: 31 }).success).toBe(false);
  });

  it('refuses routes to channels that are not configured', () => {
    const r = NotificationsConfigSchema.safeParse({ routes: [{ severity: ['critical'], channels: ['pagerduty'] }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/notifications.pagerduty is not configured/);
    expect(NotificationsConfigSchema.safeParse({ routes: [{ channels: ['webhook'] }], webhook: { uri: 'http://hook/' } }).success).toBe(true);
  });
});
