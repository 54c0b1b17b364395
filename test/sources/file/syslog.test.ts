import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/sources/normalize.js';
import { decodePri } from '../../../src/sources/file/syslog_pri.js';
import { parseRfc3164Line } from '../../../src/sources/file/syslog_rfc3164.js';
import { parseRfc5424Line } from '../../../src/sources/file/syslog_rfc5424.js';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);

describe('decodePri', () => {
  it('splits facility and severity', () => {
    expect(decodePri('34')).toEqual({ facility: 'auth', severity: 2 });
    expect(decodePri('165')).toEqual({ facility: 'local4', severity: 5 });
    expect(decodePri('0')).toEqual({ facility: 'kern', severity: 0 });
    expect(decodePri('191')).toEqual({ facility: 'local7', severity: 7 });
    expect(decodePri('192')).toBeUndefined();
  });
});

describe('parseRfc3164Line', () => {
  it('decodes the RFC example', () => {
    expect(parseRfc3164Line("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8", NOW)).toEqual({
      timestamp: Date.UTC(2023, 9, 11, 22, 14, 15),
      hostname: 'mymachine',
      ident: 'su',
      pid: '123',
      facility: 'auth',
      severity: 2,
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  it('infers the current year unless that lands in the future', () => {
    expect(parseRfc3164Line('<13>Jun 15 11:00:00 h app: x', NOW)?.timestamp).toBe(Date.UTC(2024, 5, 15, 11));
    expect(parseRfc3164Line('<13>Jun 15 13:00:00 h app: x', NOW)?.timestamp).toBe(Date.UTC(2024, 5, 15, 13));
    expect(parseRfc3164Line('<13>Dec 31 23:59:59 h app: x', Date.UTC(2025, 0, 1, 0, 0, 5))?.timestamp).toBe(Date.UTC(2024, 11, 31, 23, 59, 59));
  });

  it('reads /var/log/syslog lines without PRI, a space-padded day and no pid', () => {
    expect(parseRfc3164Line('May  1 08:03:07 web-1 sshd[4242]: Failed password for root from 10.0.0.9', NOW)).toEqual({
      timestamp: Date.UTC(2024, 4, 1, 8, 3, 7),
      hostname: 'web-1',
      ident: 'sshd',
      pid: '4242',
      message: 'Failed password for root from 10.0.0.9',
    });
    expect(parseRfc3164Line('May  1 08:03:07 web-1 kernel: [  1.0] Out of memory: Killed process 99', NOW)).toMatchObject({
      ident: 'kernel',
      message: '[  1.0] Out of memory: Killed process 99',
    });
  });

  it('reads rsyslog high-precision timestamps and a missing hostname', () => {
    expect(parseRfc3164Line('2024-05-01T10:00:00.123456+02:00 web-1 CRON[77]: (root) CMD (run-parts)', NOW)).toMatchObject({
      timestamp: Date.UTC(2024, 4, 1, 8, 0, 0, 123) + 0.456,
      hostname: 'web-1',
      ident: 'CRON',
      pid: '77',
    });
    expect(parseRfc3164Line('<14>May  1 08:03:07 myapp: started', NOW)).toMatchObject({ ident: 'myapp', message: 'started' });
    expect(parseRfc3164Line('<14>May  1 08:03:07 host free text without tag', NOW)).toMatchObject({ hostname: 'host', message: 'free text without tag' });
  });

  it('rejects lines without syslog structure', () => {
    expect(parseRfc3164Line('May  1 08:03:07 this has no tag', NOW)).toBeUndefined();
    expect(parseRfc3164Line('<999>May  1 08:03:07 h a: x', NOW)).toBeUndefined();
    expect(parseRfc3164Line('2024-05-01T12:00:00 ERROR payments card declined', NOW)).toBeUndefined();
    expect(parseRfc3164Line('hello', NOW)).toBeUndefined();
  });

  it('maps severity and ident through normalize()', () => {
    const r = normalize(parseRfc3164Line('<11>May  1 08:03:07 db-1 postgres[9]: could not write block', NOW)!, { source: 'file', observedAt: 0 });
    expect(r).toMatchObject({ level: 'error', service: 'postgres', host: 'db-1' });
  });
});

describe('parseRfc5424Line', () => {
  it('decodes the RFC examples', () => {
    expect(parseRfc5424Line('<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM\'su root\' failed')).toEqual({
      facility: 'auth',
      severity: 2,
      version: 1,
      timestamp: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
      hostname: 'mymachine.example.com',
      appname: 'su',
      msgid: 'ID47',
      message: "BOM'su root' failed",
    });
    const sd = parseRfc5424Line(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] \uFEFFAn application event log entry',
    );
    expect(sd).toMatchObject({
      facility: 'local4',
      severity: 5,
      appname: 'evntslog',
      structured_data: {
        'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
        'examplePriority@32473': { class: 'high' },
      },
      message: 'An application event log entry',
    });
  });

  it('undoes SD escapes and leaves NILVALUE fields out', () => {
    const r = parseRfc5424Line('<14>1 - - app 12 - [meta x="a \\"q\\" b\\]c\\\\"] hi')!;
    expect(r.structured_data).toEqual({ meta: { x: 'a "q" b]c\\' } });
    expect(r).not.toHaveProperty('timestamp');
    expect(r).not.toHaveProperty('hostname');
    expect(r.procid).toBe('12');
    expect(r.message).toBe('hi');
    expect(parseRfc5424Line('<14>1 2024-05-01T12:00:00Z h app - - -')?.message).toBe('');
  });

  it('gives level from priority and service from appname via normalize()', () => {
    const r = normalize(parseRfc5424Line('<131>1 2024-05-01T12:00:00+02:00 h1 billing 7 - - charge failed')!, { source: 'file', observedAt: 0 });
    expect(r).toMatchObject({ level: 'error', service: 'billing', host: 'h1', message: 'charge failed', timestamp: Date.UTC(2024, 4, 1, 10) });
  });

  it('rejects malformed lines', () => {
    expect(parseRfc5424Line('<34>Oct 11 22:14:15 mymachine su: x')).toBeUndefined();
    expect(parseRfc5424Line('<34>1 2003-10-11T22:14:15Z h a p m [unterminated x="1"')).toBeUndefined();
    expect(parseRfc5424Line('<34>1 2003-10-11T22:14:15Z h a p m nosd')).toBeUndefined();
    expect(parseRfc5424Line('<34>1 notatime h a p m - x')).toBeUndefined();
  });
});
