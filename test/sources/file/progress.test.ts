import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../../src/sources/file/progress.js';

function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean; columns?: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let out = '';
  stream.on('data', (c: Buffer) => (out += c.toString()));
  return { stream, text: () => out };
}

describe('progressReporter', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const { stream, text } = capture(false);
    const report = progressReporter(stream, { minBytes: 10 });
    report(50, 100);
    report(100, 100);
    report.done();
    expect(text()).toBe('');
  });

  it('draws nothing for small files or unknown sizes', () => {
    const small = capture(true);
    const r1 = progressReporter(small.stream, { minBytes: 1000 });
    r1(100, 100);
    r1.done();
    expect(small.text()).toBe('');

    const stdin = capture(true);
    const r2 = progressReporter(stdin.stream, { minBytes: 10 });
    r2(5000, undefined);
    r2.done();
    expect(stdin.text()).toBe('');
  });

  it('draws a bar on a terminal for a large file and stops it on done', () => {
    const { stream, text } = capture(true);
    const report = progressReporter(stream, { minBytes: 10 });
    report(50 * 1024 * 1024, 200 * 1024 * 1024);
    report(200 * 1024 * 1024, 200 * 1024 * 1024);
    report.done();
    expect(text()).toContain('reading');
    expect(text()).toMatch(/\d+%/);
    report.done();
  });
});
