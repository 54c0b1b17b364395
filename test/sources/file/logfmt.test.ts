import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/sources/normalize.js';
import { parseLogfmtLine } from '../../../src/sources/file/logfmt.js';

describe('parseLogfmtLine', () => {
  it('reads bare and quoted values', () => {
    expect(parseLogfmtLine('ts=2024-05-01T12:00:00Z level=error service=api msg="a b" duration=12ms')).toEqual({
      ts: '2024-05-01T12:00:00Z',
      level: 'error',
      service: 'api',
      msg: 'a b',
      duration: '12ms',
    });
  });

  it('undoes escapes inside quotes and keeps empty values and bare keys', () => {
    expect(parseLogfmtLine('level=warn msg="say \\"hi\\"\\nnext\\\\line" empty= flag')).toEqual({
      level: 'warn',
      msg: 'say "hi"\nnext\\line',
      empty: '',
      flag: true,
    });
    expect(parseLogfmtLine('level=info msg="a=b c=d"')?.msg).toBe('a=b c=d');
  });

  it('claims only lines with two pairs and a msg or level key', () => {
    expect(parseLogfmtLine('msg=hello')).toBeUndefined();
    expect(parseLogfmtLine('user=1 amount=2')).toBeUndefined();
    expect(parseLogfmtLine('the user=1 level=2')).toBeUndefined();
    expect(parseLogfmtLine('level=info msg="unterminated')).toBeUndefined();
    expect(parseLogfmtLine('level=info msg="x"y')).toBeUndefined();
    expect(parseLogfmtLine('2024-05-01T12:00:00 ERROR payments msg=x level=y')).toBeUndefined();
    expect(parseLogfmtLine('level=debug message=ok')).toEqual({ level: 'debug', message: 'ok' });
  });

  it('produces fields normalize() understands', () => {
    const r = normalize(parseLogfmtLine('ts=2024-05-01T12:00:00.5Z level=error service=api host=h2 msg="db timeout"')!, {
      source: 'file',
      observedAt: 0,
    });
    expect(r).toMatchObject({ timestamp: Date.UTC(2024, 4, 1, 12, 0, 0, 500), level: 'error', service: 'api', host: 'h2', message: 'db timeout' });
  });
});
