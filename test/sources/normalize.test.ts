import { describe, expect, it } from 'vitest';
import { getPath, levelFromMessage, levelFromValue, normalize, NormalizeConfigSchema } from '../../src/sources/normalize.js';

const ctx = { source: 'http' as const, observedAt: 1_800_000_000_000 };

describe('normalize', () => {
  it('maps a Vector kubernetes_logs event (no host) onto service, host and level', () => {
    const r = normalize(
      {
        file: '/var/log/pods/prod_api-7f_1/api/0.log',
        kubernetes: { container_name: 'api', pod_labels: { app: 'orders' }, pod_node_name: 'node-3' },
        message: 'panic: runtime error: index out of range',
        source_type: 'kubernetes_logs',
        stream: 'stderr',
        timestamp: '2026-08-21T10:00:00.123456789Z',
      },
      ctx,
    );
    expect(r).toMatchObject({ service: 'orders', host: 'node-3', level: 'fatal', message: 'panic: runtime error: index out of range' });
    expect(r.timestamp).toBeCloseTo(Date.UTC(2026, 7, 21, 10, 0, 0) + 123.456789, 3);
    expect(r.fields).not.toHaveProperty('message');
    expect(r.fields).not.toHaveProperty('timestamp');
    expect(r.fields).toHaveProperty('stream', 'stderr');
  });

  it('falls back to the tag, then the file name, then source_type for the service', () => {
    expect(normalize({ log: 'x' }, { ...ctx, tag: 'kube.var.log.containers.payments' }).service).toBe('payments');
    expect(normalize({ message: 'x', file: '/var/log/app/checkout.log' }, ctx).service).toBe('checkout');
    expect(normalize({ message: 'x', source_type: 'demo_logs' }, ctx).service).toBe('demo_logs');
    expect(normalize({ message: 'x' }, ctx)).toMatchObject({ service: 'unknown', host: 'unknown' });
  });

  it('reads service and host from Fluent Bit tail tags', () => {
    const id = 'a'.repeat(24) + '0123456789abcdef'.repeat(2) + '0'.repeat(8);
    const kube = `kube.var.log.containers.checkout-7d9f8b6c5d-x2x4q_shop_checkout-api-${id}.log`;
    expect(normalize({ log: 'x' }, { ...ctx, tag: kube })).toMatchObject({ service: 'checkout-api', host: 'checkout-7d9f8b6c5d-x2x4q' });
    // The record's own kubernetes metadata (the kubernetes filter) still wins over the tag.
    expect(normalize({ log: 'x', kubernetes: { container_name: 'api', host: 'node-3' } }, { ...ctx, tag: kube })).toMatchObject({ service: 'api', host: 'node-3' });
    expect(normalize({ log: 'x' }, { ...ctx, tag: 'app.var.log.app.api.log' })).toMatchObject({ service: 'api', host: 'unknown' });
    expect(normalize({ log: 'x' }, { ...ctx, tag: 'syslog.var.log.syslog' })).toMatchObject({ service: 'syslog', host: 'unknown' });
    expect(normalize({ log: 'x' }, { ...ctx, tag: 'app.payments' })).toMatchObject({ service: 'payments', host: 'unknown' });
  });

  it('uses the transport time, then arrival, when the record carries none', () => {
    expect(normalize({ message: 'x' }, { ...ctx, transportTime: 1_700_000_000_500 }).timestamp).toBe(1_700_000_000_500);
    expect(normalize({ message: 'x' }, ctx).timestamp).toBe(ctx.observedAt);
  });

  it('keeps a structured message as JSON text and honours configured field paths', () => {
    const cfg = NormalizeConfigSchema.parse({ message_fields: ['event.text'], service_fields: ['svc'], host_fields: ['node'] });
    const r = normalize({ event: { text: 'hello' }, svc: 'billing', node: 'b-2', 'log.level': 'WARNING' }, ctx, cfg);
    expect(r).toMatchObject({ message: 'hello', service: 'billing', host: 'b-2', level: 'warn' });
    expect(normalize({ message: { a: 1 } }, ctx).message).toBe('{"a":1}');
  });
});

describe('normalize, record after record', () => {
  it('reads each record by its own keys, however the keys of the one before differed', () => {
    const ctx = { source: 'http' as const, observedAt: 0 };
    const byApp = NormalizeConfigSchema.parse({ service_fields: ['app'] });
    const seen = [
      normalize({ message: 'a', service: 'svc', app: 'app' }, ctx),
      normalize({ message: 'b', service: 'svc', app: 'app' }, ctx, byApp),
      normalize({ message: 'c', service: 'svc', app: 'app' }, ctx),
      normalize({ message: 'd', app: 'app' }, ctx),
      normalize({ message: 'e', app: 'app' }, ctx, byApp),
      normalize({ app: 'app', message: 'f', level: 'error' }, ctx),
      normalize({ app: 'app', message: 'g' }, ctx),
      normalize({ host: 'h-1', msg: 'h' }, ctx),
      normalize({}, ctx),
    ].map((r) => [r.message, r.service, r.level, r.host]);
    expect(seen).toEqual([
      ['a', 'svc', 'unknown', 'unknown'],
      ['b', 'app', 'unknown', 'unknown'],
      ['c', 'svc', 'unknown', 'unknown'],
      ['d', 'app', 'unknown', 'unknown'],
      ['e', 'app', 'unknown', 'unknown'],
      ['f', 'app', 'error', 'unknown'],
      ['g', 'app', 'unknown', 'unknown'],
      ['h', 'unknown', 'unknown', 'h-1'],
      ['', 'unknown', 'unknown', 'unknown'],
    ]);
  });
});

describe('levels', () => {
  it('reads words, syslog severities and pino numbers', () => {
    expect(levelFromValue('ERR')).toBe('error');
    expect(levelFromValue('Warning')).toBe('warn');
    expect(levelFromValue(3)).toBe('error');
    expect(levelFromValue('6')).toBe('info');
    expect(levelFromValue(50)).toBe('error');
    expect(levelFromValue(60)).toBe('fatal');
    expect(levelFromValue('shouting')).toBeUndefined();
  });

  it('infers a level from the message when no field has one', () => {
    expect(levelFromMessage('2024-05-01 12:00:00 ERROR payments declined')).toBe('error');
    expect(levelFromMessage('java.lang.IllegalStateException: boom')).toBe('unknown');
    expect(levelFromMessage('Unhandled exception in worker')).toBe('error');
    expect(levelFromMessage('GET /health 200')).toBe('unknown');
  });

  it.each([
    ['FATAL', 'fatal'], ['panic', 'fatal'], ['Emerg', 'fatal'], ['CRITICAL', 'critical'], ['crit', 'critical'],
    ['SEVERE', 'error'], ['Error', 'error'], ['ERR', 'error'], ['WARNING', 'warn'], ['warn', 'warn'],
    ['NOTICE', 'notice'], ['INFO', 'info'], ['debug', 'debug'], ['TRACE', 'trace'],
  ])('reads the level word %s in a message as %s, the level its field would give', (word, level) => {
    expect(levelFromMessage(`[worker-3] ${word}: queue drained`)).toBe(level);
    expect(levelFromValue(word)).toBe(level);
    expect(levelFromMessage(`${word}ED queue drained`)).toBe('unknown');
  });
});

describe('getPath', () => {
  it('prefers a literal dotted key, then nesting, then dotted keys inside nesting', () => {
    const obj = { 'log.level': 'info', log: { level: 'debug' }, kubernetes: { labels: { 'app.kubernetes.io/name': 'web' } } };
    expect(getPath(obj, 'log.level')).toBe('info');
    expect(getPath({ log: { level: 'debug' } }, 'log.level')).toBe('debug');
    expect(getPath(obj, 'kubernetes.labels.app.kubernetes.io/name')).toBe('web');
    expect(getPath(obj, 'kubernetes.nothing')).toBeUndefined();
  });
});
