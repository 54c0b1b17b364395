import { describe, expect, it } from 'vitest';
import { isCriPartial, parseCriLine } from '../../../src/sources/file/cri.js';

describe('parseCriLine', () => {
  it('decodes a full line with a nanosecond timestamp', () => {
    expect(parseCriLine('2024-05-01T12:00:00.123456789Z stdout F connection reset by peer')).toEqual({
      timestamp: Date.UTC(2024, 4, 1, 12, 0, 0, 123) + 0.456789,
      stream: 'stdout',
      logtag: 'F',
      message: 'connection reset by peer',
    });
  });

  it('keeps the message verbatim, including leading spaces and JSON', () => {
    expect(parseCriLine('2024-05-01T12:00:00Z stderr F   indented')?.message).toBe('  indented');
    expect(parseCriLine('2024-05-01T12:00:00Z stdout F {"level":"error"}')?.message).toBe('{"level":"error"}');
  });

  it('accepts an empty message, zone offsets and extra tags', () => {
    expect(parseCriLine('2024-05-01T12:00:00Z stdout F')?.message).toBe('');
    expect(parseCriLine('2024-05-01T14:00:00.5+02:00 stdout F x')?.timestamp).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 500));
    expect(parseCriLine('2024-05-01T12:00:00Z stdout P:extra part')?.logtag).toBe('P');
  });

  it('marks partial lines', () => {
    expect(isCriPartial(parseCriLine('2024-05-01T12:00:00Z stdout P first half ')!)).toBe(true);
    expect(isCriPartial(parseCriLine('2024-05-01T12:00:00Z stdout F second half')!)).toBe(false);
  });

  it('rejects other lines', () => {
    expect(parseCriLine('2024-05-01T12:00:00Z stdin F x')).toBeUndefined();
    expect(parseCriLine('2024-05-01T12:00:00Z stdout X x')).toBeUndefined();
    expect(parseCriLine('yesterday stdout F x')).toBeUndefined();
    expect(parseCriLine('2024-05-01T12:00:00 ERROR payments x')).toBeUndefined();
  });
});
