import { describe, expect, it } from 'vitest';
import { createLineParser, type LineFormat } from '../../../src/sources/file/formats.js';
import { RecordAssembler } from '../../../src/sources/file/multiline.js';

function assemble(format: LineFormat, lines: string[], max?: number): Record<string, unknown>[] {
  const a = new RecordAssembler(format, createLineParser(format, () => Date.UTC(2024, 5, 15)), max);
  const out: Record<string, unknown>[] = [];
  for (const line of lines) {
    const r = a.push(line);
    if (r) out.push(r);
  }
  out.push(...a.flush().map((r) => r.fields));
  return out;
}

describe('RecordAssembler', () => {
  it('appends a Java stack trace to the record before it', () => {
    const out = assemble('plain', [
      '2024-05-01T12:00:00 ERROR payments charge failed',
      'java.lang.IllegalStateException: card store unavailable',
      '\tat com.example.Pay.charge(Pay.java:42)',
      '    at com.example.Api.handle(Api.java:7)',
      'Caused by: java.net.ConnectException: refused',
      '\t... 12 more',
      '2024-05-01T12:00:01 INFO payments retry ok',
    ]);
    expect(out).toHaveLength(2);
    expect(out[0].message).toBe(
      [
        'charge failed',
        'java.lang.IllegalStateException: card store unavailable',
        '\tat com.example.Pay.charge(Pay.java:42)',
        '    at com.example.Api.handle(Api.java:7)',
        'Caused by: java.net.ConnectException: refused',
        '\t... 12 more',
      ].join('\n'),
    );
    expect(out[1].message).toBe('retry ok');
  });

  it('joins a Python traceback including its final exception line', () => {
    const out = assemble('plain', [
      '2024-05-01 12:00:00,001 ERROR worker job crashed',
      'Traceback (most recent call last):',
      '  File "worker.py", line 3, in run',
      'ValueError: bad input',
      '2024-05-01 12:00:02,001 INFO worker next job',
    ]);
    expect(out).toHaveLength(2);
    expect(String(out[0].message).split('\n')).toHaveLength(4);
  });

  it('joins continuations in syslog but not in json or raw', () => {
    expect(assemble('syslog', ['May  1 12:00:00 h app[1]: boom', '  at x', 'May  1 12:00:01 h app[1]: ok'])).toHaveLength(2);
    expect(assemble('json', ['{"message":"a"}', '  at x'])).toEqual([{ message: 'a' }, { message: '  at x' }]);
    expect(assemble('raw', ['a', '  at x'])).toHaveLength(2);
  });

  it('falls back to raw for unrecognised lines and never drops one', () => {
    const out = assemble('plain', ['leading junk', '2024-05-01T12:00:00 INFO api ok', 'not a continuation', '', '   ']);
    expect(out.map((r) => r.message)).toEqual(['leading junk', 'ok', 'not a continuation']);
  });

  it('bounds a joined message and marks it truncated', () => {
    const lines = ['2024-05-01T12:00:00 ERROR api overflow', ...Array.from({ length: 500 }, (_, i) => `    at frame${i} ${'x'.repeat(50)}`)];
    const [r] = assemble('plain', lines, 1024);
    expect(String(r.message).length).toBe(1024);
    expect(r.truncated).toBe(true);
  });

  it('joins CRI partials per stream until the F line', () => {
    const out = assemble('cri', [
      '2024-05-01T12:00:00Z stdout P first ',
      '2024-05-01T12:00:00Z stderr F unrelated error',
      '2024-05-01T12:00:01Z stdout P second ',
      '2024-05-01T12:00:02Z stdout F third',
      '2024-05-01T12:00:03Z stdout F whole',
    ]);
    expect(out.map((r) => r.message)).toEqual(['unrelated error', 'first second third', 'whole']);
    expect(out[1]).toMatchObject({ timestamp: Date.UTC(2024, 4, 1, 12), stream: 'stdout', logtag: 'F' });
  });

  it('emits a dangling CRI partial at the end and bounds partial growth', () => {
    expect(assemble('cri', ['2024-05-01T12:00:00Z stdout P cut off']).map((r) => r.message)).toEqual(['cut off']);
    const parts = Array.from({ length: 100 }, () => `2024-05-01T12:00:00Z stdout P ${'y'.repeat(100)}`);
    const [r] = assemble('cri', [...parts, '2024-05-01T12:00:00Z stdout F end'], 2000);
    expect(String(r.message).length).toBe(2000);
    expect(r.truncated).toBe(true);
  });
});
