import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/sources/normalize.js';
import { parsePlainLine } from '../../../src/sources/file/plain.js';

describe('parsePlainLine', () => {
  it('splits timestamp, level, service and message', () => {
    expect(parsePlainLine('2024-05-01T12:00:00 ERROR payments card declined for order 42')).toEqual({
      timestamp: Date.UTC(2024, 4, 1, 12, 0, 0),
      level: 'ERROR',
      service: 'payments',
      message: 'card declined for order 42',
    });
  });

  it('reads fractions, zones and the space/comma style', () => {
    expect(parsePlainLine('2024-05-01T12:00:00.250Z INFO api ok')?.timestamp).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 250));
    expect(parsePlainLine('2024-05-01T14:00:00+02:00 INFO api ok')?.timestamp).toBe(Date.UTC(2024, 4, 1, 12, 0, 0));
    expect(parsePlainLine('2024-05-01T14:00:00+0200 INFO api ok')?.timestamp).toBe(Date.UTC(2024, 4, 1, 12, 0, 0));
    const comma = parsePlainLine('2024-05-01 12:00:00,123 WARN  worker   queue is   backing up');
    expect(comma).toEqual({
      timestamp: Date.UTC(2024, 4, 1, 12, 0, 0, 123),
      level: 'WARN',
      service: 'worker',
      message: 'queue is   backing up',
    });
    expect(parsePlainLine('2024-05-01T12:00:00.123456789Z DEBUG api x')?.timestamp).toBeCloseTo(Date.UTC(2024, 4, 1, 12) + 123.456789, 3);
  });

  it('accepts a bracketed level and a line with no service', () => {
    expect(parsePlainLine('2024-05-01 12:00:00 [ERROR] db down')?.service).toBe('db');
    expect(parsePlainLine('2024-05-01 12:00:00 ERROR boom')).toEqual({ timestamp: Date.UTC(2024, 4, 1, 12), level: 'ERROR', message: 'boom' });
  });

  it('reads the gaps and ends around service and message as it always has', () => {
    const at = Date.UTC(2024, 4, 1, 12);
    const read = (rest: string) => parsePlainLine(`2024-05-01T12:00:00Z INFO${rest}`);
    expect(read('')).toEqual({ timestamp: at, level: 'INFO', message: '' });
    expect(read('   ')).toEqual({ timestamp: at, level: 'INFO', message: '' });
    expect(read(' svc   ')).toEqual({ timestamp: at, level: 'INFO', service: 'svc', message: '' });
    expect(read('\u00a0svc\u00a0\tmsg  here ')).toEqual({ timestamp: at, level: 'INFO', service: 'svc', message: 'msg  here ' });
    // A line terminator other than the newline that split the lines keeps the line unread, wherever it sits after the level.
    for (const rest of [' svc\rmsg', ' svc\u2028msg', ' svc msg\u2029', ' svc \u2028']) expect(read(rest), JSON.stringify(rest)).toBeUndefined();
    expect(read(' \u2028svc msg')).toEqual({ timestamp: at, level: 'INFO', service: 'svc', message: 'msg' });
  });

  it('rejects lines that are not in the format', () => {
    expect(parsePlainLine('hello world')).toBeUndefined();
    expect(parsePlainLine('2024-05-01T12:00:00 payments started')).toBeUndefined();
    expect(parsePlainLine('2024-05-01T12:00:00 42 payments started')).toBeUndefined();
    expect(parsePlainLine('May  1 12:00:00 host sshd[1]: x')).toBeUndefined();
    expect(parsePlainLine('{"message":"x"}')).toBeUndefined();
  });

  it('produces fields normalize() maps onto a LogRecord', () => {
    const raw = parsePlainLine('2024-05-01T12:00:00.5Z ERROR payments card declined')!;
    const r = normalize(raw, { source: 'file', observedAt: 1 });
    expect(r).toMatchObject({ level: 'error', service: 'payments', message: 'card declined', timestamp: Date.UTC(2024, 4, 1, 12, 0, 0, 500) });
  });
});
