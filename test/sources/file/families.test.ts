/**
 * The log families people bring to `lookout analyze`, one real-shaped line
 * each (written for these tests, in the shapes the public Loghub collection
 * documents), parsed field by field, and detected from a small sample.
 */
import { describe, expect, it } from 'vitest';
import { parseAccessLogLine } from '../../../src/sources/file/access_log.js';
import { parseApacheErrorLine } from '../../../src/sources/file/apache_error.js';
import { detectFormat } from '../../../src/sources/file/detect.js';
import { parseLog4jLine } from '../../../src/sources/file/log4j.js';
import { parseBglLine, parseThunderbirdLine } from '../../../src/sources/file/supercomputer.js';
import { parseTimestampedLine } from '../../../src/sources/file/timestamped.js';
import { normalize } from '../../../src/sources/normalize.js';

const utc = (s: string) => Date.parse(s);

describe('Apache error log', () => {
  it('reads the 2.2 shape: time without zone as UTC, level, message', () => {
    expect(parseApacheErrorLine('[Tue Mar 07 09:15:02 2006] [error] jk2_init() Cannot find child 4211 in scoreboard')).toEqual({
      timestamp: utc('2006-03-07T09:15:02Z'),
      level: 'error',
      message: 'jk2_init() Cannot find child 4211 in scoreboard',
    });
    expect(parseApacheErrorLine('[Tue Mar 07 09:15:02 2006] [notice] [client 192.0.2.4] Directory index forbidden by rule: /srv/www/')).toMatchObject({
      level: 'notice',
      client: '192.0.2.4',
      message: 'Directory index forbidden by rule: /srv/www/',
    });
  });

  it('reads the 2.4 shape: microseconds, module:level, pid/tid and client brackets', () => {
    expect(
      parseApacheErrorLine('[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 198.51.100.7:52414] AH00124: Request exceeded the limit of 10 internal redirects'),
    ).toEqual({
      timestamp: utc('2011-09-09T10:42:29.902Z') + 0.022,
      level: 'error',
      component: 'core',
      pid: '35708',
      tid: '4328636416',
      client: '198.51.100.7:52414',
      message: 'AH00124: Request exceeded the limit of 10 internal redirects',
    });
    expect(parseApacheErrorLine('[Fri Sep 09 10:42:29 2011] [ssl:trace3] [pid 1] handshake')?.level).toBe('trace');
  });

  it('refuses lines that only look similar', () => {
    expect(parseApacheErrorLine('[Fri Sep 09 10:42:29 2011] [bogus] x')).toBeUndefined();
    expect(parseApacheErrorLine('[10.30 16:49:06] chrome.exe - proxy open')).toBeUndefined();
  });
});

describe('log4j family', () => {
  it('Hadoop: ISO time with comma millis, level, [thread], logger: message', () => {
    expect(parseLog4jLine('2016-02-11 07:12:53,611 WARN [ContainerLauncher #3] org.apache.hadoop.yarn.client.api.impl.ContainerManagementProtocolProxy: Opening proxy : node-17:45454')).toEqual({
      timestamp: utc('2016-02-11T07:12:53.611Z'),
      level: 'WARN',
      thread: 'ContainerLauncher #3',
      component: 'org.apache.hadoop.yarn.client.api.impl.ContainerManagementProtocolProxy',
      message: 'Opening proxy : node-17:45454',
    });
  });

  it('HDFS: yyMMdd HHmmss, thread id, level, logger with $ inner class', () => {
    expect(parseLog4jLine('090312 141502 2731 INFO dfs.DataNode$DataXceiver: Receiving block blk_-4410337123956104 src: /10.0.4.9:40321 dest: /10.0.4.9:50010')).toEqual({
      timestamp: utc('2009-03-12T14:15:02Z'),
      thread: '2731',
      level: 'INFO',
      component: 'dfs.DataNode$DataXceiver',
      message: 'Receiving block blk_-4410337123956104 src: /10.0.4.9:40321 dest: /10.0.4.9:50010',
    });
  });

  it('Spark: yy/MM/dd HH:mm:ss, level, short logger', () => {
    expect(parseLog4jLine('18/01/22 03:14:07 ERROR executor.Executor: Exception in task 3.0 in stage 12.0 (TID 88)')).toEqual({
      timestamp: utc('2018-01-22T03:14:07Z'),
      level: 'ERROR',
      component: 'executor.Executor',
      message: 'Exception in task 3.0 in stage 12.0 (TID 88)',
    });
  });

  it('Zookeeper: "- LEVEL  [thread:Class@line] - message"', () => {
    expect(parseLog4jLine('2016-04-02 22:10:31,004 - WARN  [RecvWorker:2:QuorumCnxManager$RecvWorker@780] - Connection broken for id 2, my id = 3')).toEqual({
      timestamp: utc('2016-04-02T22:10:31.004Z'),
      level: 'WARN',
      thread: 'RecvWorker:2',
      component: 'QuorumCnxManager$RecvWorker',
      message: 'Connection broken for id 2, my id = 3',
    });
    expect(parseLog4jLine('2016-04-02 22:10:31,004 - INFO  [QuorumPeer[myid=3]/0.0.0.0:2181:Follower@63] - FOLLOWING - LEADER ELECTION TOOK - 41')).toMatchObject({
      thread: 'QuorumPeer[myid=3]/0.0.0.0:2181',
      component: 'Follower',
      message: 'FOLLOWING - LEADER ELECTION TOOK - 41',
    });
  });

  it('the log4j default "%d [%t] %-5p %c - %m" with a zone', () => {
    expect(parseLog4jLine('2023-06-01T08:00:00.250+02:00 [main] INFO  com.example.Billing - invoice run started')).toEqual({
      timestamp: utc('2023-06-01T06:00:00.250Z'),
      thread: 'main',
      level: 'INFO',
      component: 'com.example.Billing',
      message: 'invoice run started',
    });
  });

  it('leaves plain application lines (lower-case service word) to the plain format', () => {
    expect(parseLog4jLine('2024-05-01T12:00:00 ERROR payments: card declined')).toBeUndefined();
    expect(parseLog4jLine('2024-05-01T12:00:00 ERROR payments card declined')).toBeUndefined();
  });
});

describe('supercomputer logs', () => {
  it('BGL: label, epoch + micros, node as host, type, component, level', () => {
    const line = 'KERNDTLB 1118936407 2005.06.16 R23-M0-NC-C:J05-U01 2005-06-16-08.40.07.311402 R23-M0-NC-C:J05-U01 RAS KERNEL FATAL data TLB error interrupt';
    expect(parseBglLine(line)).toEqual({
      timestamp: 1118936407000 + 311.402,
      host: 'R23-M0-NC-C:J05-U01',
      type: 'RAS',
      component: 'KERNEL',
      level: 'fatal',
      message: 'data TLB error interrupt',
      alert_label: 'KERNDTLB',
    });
    const plain = parseBglLine('- 1118936501 2005.06.16 R02-M1-N4-C:J11-U01 2005-06-16-08.41.41.009123 R02-M1-N4-C:J11-U01 RAS KERNEL INFO 1 ddr errors(s) detected and corrected on rank 0');
    expect(plain).not.toHaveProperty('alert_label');
    expect(plain?.level).toBe('info');
    expect(parseBglLine('- 1118936501 2005.06.16 R02 2005-06-16-08.41.41.009123 R02 RAS APP FAILURE ciod: link lost')?.level).toBe('critical');
  });

  it('Thunderbird: label, epoch, node as host, syslog body with ident and pid', () => {
    expect(parseThunderbirdLine('- 1132051843 2005.11.15 bn412 Nov 15 02:50:43 bn412/bn412 sshd[19254]: Accepted publickey for admin from 10.100.4.251 port 33102 ssh2')).toEqual({
      timestamp: 1132051843000,
      host: 'bn412',
      location: 'bn412/bn412',
      ident: 'sshd',
      pid: '19254',
      message: 'Accepted publickey for admin from 10.100.4.251 port 33102 ssh2',
    });
    const kernel = parseThunderbirdLine('ECC 1132051900 2005.11.15 cn77 Nov 15 02:51:40 cn77/cn77 kernel: EDAC k8 MC0: general bus error');
    expect(kernel).toMatchObject({ alert_label: 'ECC', ident: 'kernel', message: 'EDAC k8 MC0: general bus error' });
  });

  it('normalize turns them into host streams with a level', () => {
    const bgl = normalize(parseBglLine('- 1118936501 2005.06.16 R02-M1 2005-06-16-08.41.41.009123 R02-M1 RAS KERNEL SEVERE machine check')!, { source: 'file', observedAt: 0 });
    expect([bgl.host, bgl.level, bgl.timestamp]).toEqual(['R02-M1', 'error', 1118936501009.123]);
    const tb = normalize(parseThunderbirdLine('- 1132051843 2005.11.15 bn412 Nov 15 02:50:43 bn412/bn412 sshd[19254]: error: PAM: Authentication failure for root')!, { source: 'file', observedAt: 0 });
    expect([tb.service, tb.host, tb.level]).toEqual(['sshd', 'bn412', 'error']);
  });
});

describe('access logs', () => {
  it('common log format: client, user, request, status, bytes, level from status', () => {
    expect(parseAccessLogLine('203.0.113.9 - alice [12/Feb/2024:06:25:24 -0500] "POST /api/v1/orders HTTP/1.1" 503 178')).toEqual({
      timestamp: utc('2024-02-12T11:25:24Z'),
      level: 'error',
      client: '203.0.113.9',
      user: 'alice',
      status: 503,
      method: 'POST',
      path: '/api/v1/orders',
      protocol: 'HTTP/1.1',
      bytes: 178,
      message: '203.0.113.9 - alice "POST /api/v1/orders HTTP/1.1" 503 178',
    });
  });

  it('combined (nginx default): referer and user agent, "-" values left out', () => {
    const r = parseAccessLogLine('198.51.100.23 - - [03/Nov/2023:22:01:09 +0000] "GET /static/app.js HTTP/2.0" 404 - "https://shop.example/checkout" "Mozilla/5.0 (X11; Linux x86_64) \\"quoted\\""');
    expect(r).toMatchObject({ level: 'warn', status: 404, method: 'GET', path: '/static/app.js', referer: 'https://shop.example/checkout' });
    expect(r?.user_agent).toBe('Mozilla/5.0 (X11; Linux x86_64) \\"quoted\\"');
    expect(r).not.toHaveProperty('bytes');
    expect(r).not.toHaveProperty('user');
    expect(parseAccessLogLine('198.51.100.23 - - [03/Nov/2023:22:01:09 +0000] "GET / HTTP/1.1" 200 512')?.level).toBe('info');
  });
});

describe('timestamped lines', () => {
  it('ISO 8601 or epoch first, bracketed or not; the rest is the message', () => {
    expect(parseTimestampedLine('2024-07-09T10:11:12.5+01:00 worker 3 picked job 991')).toEqual({ timestamp: utc('2024-07-09T09:11:12.500Z'), message: 'worker 3 picked job 991' });
    expect(parseTimestampedLine('[2024-07-09 10:11:12] cache warm')).toEqual({ timestamp: utc('2024-07-09T10:11:12Z'), message: 'cache warm' });
    expect(parseTimestampedLine('1720519872.250 retrying upload')).toEqual({ timestamp: 1720519872250, message: 'retrying upload' });
    expect(parseTimestampedLine('1720519872250 retrying upload')).toEqual({ timestamp: 1720519872250, message: 'retrying upload' });
    expect(parseTimestampedLine('retrying 1720519872 upload')).toBeUndefined();
  });
});

describe('detection of the families', () => {
  const cases: Array<[string, string[]]> = [
    ['apache_error', ['[Tue Mar 07 09:15:02 2006] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties', '[Tue Mar 07 09:15:03 2006] [error] mod_jk child workerEnv in error state 7']],
    ['log4j', ['2016-02-11 07:12:53,611 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster', '2016-02-11 07:12:54,002 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Executing with tokens:']],
    ['log4j', ['090312 141502 2731 INFO dfs.DataNode$DataXceiver: Receiving block blk_1', '090312 141503 2731 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_1 terminating']],
    ['log4j', ['2016-04-02 22:10:31,004 - WARN  [RecvWorker:2:QuorumCnxManager$RecvWorker@780] - Connection broken for id 2, my id = 3']],
    ['bgl', ['- 1118936501 2005.06.16 R02-M1-N4-C:J11-U01 2005-06-16-08.41.41.009123 R02-M1-N4-C:J11-U01 RAS KERNEL INFO 1 ddr errors(s) detected and corrected']],
    ['thunderbird', ['- 1132051843 2005.11.15 bn412 Nov 15 02:50:43 bn412/bn412 sshd[19254]: Accepted publickey for admin']],
    ['access_log', ['203.0.113.9 - - [12/Feb/2024:06:25:24 -0500] "GET / HTTP/1.1" 200 12 "-" "curl/8.5.0"']],
    ['timestamped', ['2024-07-09T10:11:12Z worker 3 picked job 991', '2024-07-09T10:11:13Z worker 4 picked job 992']],
    ['plain', ['2024-05-01T12:00:00 ERROR payments card declined']],
  ];
  it.each(cases)('%s', (format, lines) => {
    expect(detectFormat(lines, Date.UTC(2024, 0, 1))).toBe(format);
  });
});
