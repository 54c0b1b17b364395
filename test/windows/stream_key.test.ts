import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/sources/record.js';
import { keyReadsFields, streamKey } from '../../src/windows/stream_key.js';

const record = (service: string, host: string, fields: Record<string, unknown> = {}, tag?: string): LogRecord => ({
  timestamp: 0,
  observedAt: 0,
  level: 'info',
  service,
  host,
  message: 'm',
  fields,
  source: 'http',
  tag,
  size: 1,
});

describe('streamKey', () => {
  it('keys the default streams by service and host, the same past the cache bound', () => {
    for (let i = 0; i < 25_000; i++) expect(streamKey(record(`svc-${i % 3}`, `host-${i}`), ['service', 'host'])).toBe(`svc-${i % 3}|host-${i}`);
    expect(streamKey(record('api', 'web-1'), ['service', 'host'])).toBe('api|web-1');
  });

  it('keys by any field path, tag included, with "-" for a missing value', () => {
    const r = record('api', 'web-1', { kubernetes: { namespace: 'prod' } }, 'kube.app');
    expect(streamKey(r, ['kubernetes.namespace', 'service', 'tag'])).toBe('prod|api|kube.app');
    expect(streamKey(r, ['host', 'missing'])).toBe('web-1|-');
  });

  it('reads raw fields only for a path other than service, host and tag', () => {
    expect(keyReadsFields(['service', 'host'])).toBe(false);
    expect(keyReadsFields(['tag', 'host'])).toBe(false);
    expect(keyReadsFields(['service', 'kubernetes.namespace'])).toBe(true);
  });
});
