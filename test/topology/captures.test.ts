/**
 * The real Fluent Bit captures (test/fixtures/fluent-bit) sent byte for byte
 * to a running Lookout — HTTP requests with their own headers, Forward
 * connections as recorded — and the records that come out of the windows
 * checked field by field.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/sources/record.js';
import { startTestLookout, type TestLookout } from '../support/lookout.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/fluent-bit');
const HTTP_CASES = readdirSync(join(FIXTURES, 'http'))
  .filter((f) => f.endsWith('-001.meta.json'))
  .map((f) => f.slice(0, -'-001.meta.json'.length))
  .sort();
const FORWARD_CASES = readdirSync(join(FIXTURES, 'forward'))
  .filter((f) => f.endsWith('.raw.bin'))
  .map((f) => f.slice(0, -'.raw.bin'.length))
  .sort();

/** Sends the captured request on a raw socket (Host rewritten, every other header as recorded) and returns the status. */
function replayHttp(port: number, name: string): Promise<number> {
  const meta = JSON.parse(readFileSync(join(FIXTURES, 'http', `${name}-001.meta.json`), 'utf8')) as { headers: [string, string][] };
  const body = readFileSync(join(FIXTURES, 'http', `${name}-001.body.bin`));
  const head = meta.headers.map(([k, v]) => (k.toLowerCase() === 'host' ? `Host: 127.0.0.1:${port}` : `${k}: ${v}`));
  const request = Buffer.concat([Buffer.from(`POST / HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n`), body]);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let reply = '';
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(reply);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', reject);
  });
}

/** Writes a recorded Forward connection and waits until the source has answered its ack (if it asked for one) or read it all. */
function replayForward(port: number, name: string): Promise<void> {
  const bytes = readFileSync(join(FIXTURES, 'forward', `${name}.raw.bin`));
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    socket.on('data', () => undefined);
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

function expectDummyRecord(r: LogRecord): void {
  expect(r.message).toBe('hello wörld "quoted"');
  expect(r.level).toBe('info');
  expect(r.fields).toMatchObject({ n: 42, f: 1.5, ok: true, nil: null, nested: { k: 'v' }, arr: [1, 'two'] });
  expect(r.timestamp).toBeGreaterThan(Date.UTC(2026, 10, 24));
}

describe('Fluent Bit captures through a running Lookout', () => {
  let t: TestLookout;
  const statuses = new Map<string, number>();

  beforeAll(async () => {
    // Event time: records keep their own (captured) timestamps on the window axis, whatever the date today.
    t = await startTestLookout({ windows: { time: 'event' } });
    for (const name of HTTP_CASES) statuses.set(name, await replayHttp(t.lookout.http!.port, name));
    for (const name of FORWARD_CASES) await replayForward(t.lookout.forward!.port, name);
    await t.lookout.shutdown();
  });
  afterAll(async () => {
    await t.lookout.shutdown();
  });

  it('answers every captured out_http request with 200', () => {
    expect(HTTP_CASES.length).toBeGreaterThanOrEqual(15);
    for (const name of HTTP_CASES) expect([name, statuses.get(name)]).toEqual([name, 200]);
  });

  it('windows both records of every capture, field by field', () => {
    const records = t.analyzer.records;
    const fromHttp = records.filter((r) => r.source === 'http');
    const fromForward = records.filter((r) => r.source === 'forward');
    expect(fromHttp).toHaveLength(2 * HTTP_CASES.length);
    // every recorded connection carries one chunk of two records (distinct chunk ids, so none is deduplicated)
    expect(fromForward.length).toBe(2 * FORWARD_CASES.length);
    for (const r of records) expectDummyRecord(r);
    // out_forward's tag names the service: app.fwd.<case> → <case>
    expect(new Set(fromForward.map((r) => r.service))).toContain('default');
    expect(fromForward.find((r) => r.tag === 'app.fwd.gzip')).toBeDefined();
  });
});
