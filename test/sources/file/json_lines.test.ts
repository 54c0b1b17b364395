import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/sources/normalize.js';
import { parseJsonLine } from '../../../src/sources/file/json_lines.js';

describe('parseJsonLine', () => {
  it('passes a Vector event through and normalize() reads it', () => {
    const line = JSON.stringify({
      message: 'upstream timed out',
      timestamp: '2024-05-01T12:00:00.123456Z',
      host: 'web-1',
      source_type: 'file',
      file: '/var/log/nginx/error.log',
      level: 'error',
      service: 'nginx',
    });
    const r = normalize(parseJsonLine(line)!, { source: 'file', observedAt: 0 });
    expect(r).toMatchObject({ message: 'upstream timed out', host: 'web-1', service: 'nginx', level: 'error' });
    expect(r.timestamp).toBeCloseTo(Date.UTC(2024, 4, 1, 12, 0, 0, 123) + 0.456, 3);
  });

  it('reads Fluent Bit json_lines with an epoch-seconds date', () => {
    const raw = parseJsonLine('{"date":1714564800.25,"log":"GET /health 200","kubernetes":{"container_name":"api","host":"node-3"}}')!;
    const r = normalize(raw, { source: 'file', observedAt: 0 });
    expect(r.timestamp).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 250));
    expect(r.message).toBe('GET /health 200');
    expect(r.service).toBe('api');
    expect(r.host).toBe('node-3');
  });

  it('strips the trailing newline Docker json-file keeps in log', () => {
    expect(parseJsonLine('{"log":"panic: nil map\\n","stream":"stderr","time":"2024-05-01T12:00:00.000000001Z"}')).toEqual({
      log: 'panic: nil map',
      stream: 'stderr',
      time: '2024-05-01T12:00:00.000000001Z',
    });
    expect(parseJsonLine('{"log":"windows line\\r\\n","stream":"stdout","time":"2024-05-01T12:00:00Z"}')?.log).toBe('windows line');
    expect(parseJsonLine('{"log":"partial without newline","stream":"stdout"}')?.log).toBe('partial without newline');
  });

  it('rejects anything that is not one JSON object', () => {
    expect(parseJsonLine('[1,2]')).toBeUndefined();
    expect(parseJsonLine('"text"')).toBeUndefined();
    expect(parseJsonLine('null')).toBeUndefined();
    expect(parseJsonLine('{"unterminated": ')).toBeUndefined();
    expect(parseJsonLine('2024-05-01T12:00:00 ERROR x y')).toBeUndefined();
    expect(parseJsonLine('  {"message":"indented"}')).toEqual({ message: 'indented' });
  });
});
