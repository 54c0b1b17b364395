import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/sources/file/detect.js';

const NOW = Date.UTC(2024, 5, 15);

const plain = (i: number) => `2024-05-01T12:00:${String(i % 60).padStart(2, '0')}Z INFO api request ${i} ok`;
const json = (i: number) => JSON.stringify({ message: `request ${i}`, timestamp: '2024-05-01T12:00:00Z' });
const cri = (i: number) => `2024-05-01T12:00:00.000000001Z stdout F request ${i}`;
const syslog3164 = (i: number) => `May  1 12:00:0${i % 10} web-1 sshd[${i}]: Accepted publickey`;
const syslog5424 = (i: number) => `<14>1 2024-05-01T12:00:00Z web-1 api ${i} - - request`;
const logfmt = (i: number) => `ts=2024-05-01T12:00:00Z level=info msg="request ${i}"`;

const many = (f: (i: number) => string, n = 20) => Array.from({ length: n }, (_, i) => f(i));

describe('detectFormat', () => {
  it('recognises each format from clean samples', () => {
    expect(detectFormat(many(plain), NOW)).toBe('plain');
    expect(detectFormat(many(json), NOW)).toBe('json');
    expect(detectFormat(many(cri), NOW)).toBe('cri');
    expect(detectFormat(many(syslog3164), NOW)).toBe('syslog');
    expect(detectFormat(many(syslog5424), NOW)).toBe('syslog');
    expect(detectFormat(many(logfmt), NOW)).toBe('logfmt');
    expect(detectFormat(['just some text', 'more text here'], NOW)).toBe('raw');
    expect(detectFormat([], NOW)).toBe('raw');
  });

  it('picks the format that claims most lines of a mixed sample', () => {
    const sample = [...many(plain, 12), ...many(json, 5), 'free text', '    at com.example.Foo(Foo.java:1)', ...many(logfmt, 3)];
    expect(detectFormat(sample, NOW)).toBe('plain');
    const mostlyJson = [...many(json, 10), ...many(plain, 4), '', '   ', 'garbage'];
    expect(detectFormat(mostlyJson, NOW)).toBe('json');
  });

  it('looks only at the first 50 non-empty lines', () => {
    const sample = [...Array(100).fill(''), ...many(logfmt, 50), ...many(json, 200)];
    expect(detectFormat(sample, NOW)).toBe('logfmt');
  });
});
