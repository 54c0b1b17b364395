/**
 * Hostile input against a real `lookout serve` process (issue 9 items 1-4, 7,
 * 8): each attack from the adversarial pass, sent to the HTTP and Forward
 * listeners of one running process, must get a 2xx/4xx (or, on Forward, an
 * ack-and-drop or a closed connection) while the process stays up, keeps its
 * resident memory under a bound, spends bounded CPU on a small body, answers
 * ordinary traffic afterwards, and at SIGTERM reports every acknowledged
 * record analysed.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTime, fluentExtensionCodec } from '../../src/sources/fluent_entry.js';
import { waitFor } from '../cli/support.js';
import { startServe, type ServeProcess } from '../support/serve_process.js';
import { RawClient } from '../sources/forward/harness.js';

const MiB = 1024 * 1024;
/** What the process may hold at any point of this file: its baseline (~120 MB) plus the configured in-flight caps and one request. */
const RSS_BOUND = 700 * MiB;
const T = new EventTime(1_800_000_000, 0);

let lookout: ServeProcess;
let peakRss = 0;

async function post(body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const send = () => fetch(`${lookout.url}/v1/logs`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  // Building a big body can outlast the server's 5 s keep-alive: a reused socket closed under the request is retried once, as clients do.
  const res = await send().catch((err: Error) => {
    if ((err.cause as { code?: string } | undefined)?.code !== 'UND_ERR_SOCKET') throw err;
    return send();
  });
  const text = await res.text();
  peakRss = Math.max(peakRss, lookout.rss());
  return { status: res.status, text };
}

const pack = (v: unknown) => Buffer.from(encode(v, { extensionCodec: fluentExtensionCodec }));

beforeAll(async () => {
  lookout = await startServe({
    sources: {
      http: { max_inflight_bytes: 64 * MiB },
      forward: { max_inflight_bytes: 64 * MiB, handshake_timeout_seconds: 5, max_connections: 40 },
    },
    sinks: [],
  });
}, 60_000);

afterAll(async () => {
  if (lookout?.alive()) await lookout.stop();
});

describe('a running lookout serve under hostile input', { timeout: 120_000 }, () => {
  it('item 1: refuses 20 million {} in 58 KB of gzip JSON with 413, before parsing', async () => {
    const body = gzipSync(`[${'{},'.repeat(20_000_000 - 1)}{}]`);
    expect(body.length).toBeLessThan(100_000);
    const reply = await post(body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(reply.status).toBe(413);
    expect(reply.text).toContain('max_records_per_request');
  });

  it('item 1: refuses one record holding 3 million objects by its decoded size (413 max_decoded_bytes)', async () => {
    const body = gzipSync(`[{"a":[${'{},'.repeat(3_000_000)}{}]}]`);
    const reply = await post(body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(reply.status).toBe(413);
    expect(reply.text).toContain('max_decoded_bytes');
  });

  it('item 1: refuses 40 million empty msgpack maps in one array from its header', async () => {
    const raw = Buffer.alloc(5 + 40_000_000, 0x80);
    raw[0] = 0xdd;
    raw.writeUInt32BE(40_000_000, 1);
    const reply = await post(gzipSync(raw), { 'content-type': 'application/msgpack', 'content-encoding': 'gzip' });
    expect(reply.status).toBe(413);
    expect(reply.text).toContain('max_decoded_bytes');
  });

  it('item 1: acknowledges and drops a Forward message of 300 000 records (over max_records_per_message)', async () => {
    const before = await lookout.metric('lookout_records_received_total');
    // Encoded before connecting: a connection silent for handshake_timeout_seconds is closed.
    const flood = pack(['app.flood', Array.from({ length: 300_000 }, () => [1_800_000_000, {}]), { chunk: 'flood' }]);
    const c = await RawClient.open(lookout.forwardPort);
    await c.write(flood);
    await c.write(pack(['app.ok', [[T, { message: 'after the flood' }]], { chunk: 'ok' }]));
    expect(await c.waitForReplies(2, 30_000)).toEqual([{ ack: 'flood' }, { ack: 'ok' }]);
    c.end();
    expect((await lookout.metric('lookout_records_received_total')) - before).toBe(1);
    expect(await lookout.metric('lookout_records_rejected_total', 'reason="too_large"')).toBeGreaterThanOrEqual(1);
    peakRss = Math.max(peakRss, lookout.rss());
  });

  it('item 2: a zstd body of 27 000 empty blocks under a 64 MiB window costs little CPU and is read', async () => {
    const blocks = Buffer.alloc(27_000 * 3);
    const last = Buffer.concat([Buffer.from([0x31, 0x00, 0x00]), Buffer.from('hello\n')]);
    const body = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (26 - 10) << 3]), blocks, last]);
    const cpu = lookout.cpuSeconds();
    const reply = await post(body, { 'content-type': 'text/plain', 'content-encoding': 'zstd' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ accepted: 1 });
    // CPU time of the server process (not wall time): the pure-JS decoder spent 2-46 s here.
    expect(lookout.cpuSeconds() - cpu).toBeLessThan(2);
  });

  it('item 2: a CompressedPackedForward zstd frame asking for a 1 GiB window is dropped with an ack, not decoded', async () => {
    const frame = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (30 - 10) << 3]), Buffer.from([0x31, 0x00, 0x00]), Buffer.from('hello\n')]);
    const c = await RawClient.open(lookout.forwardPort);
    await c.write(pack(['app.zstd', frame, { chunk: 'window', compressed: 'zstd' }]));
    expect(await c.waitForReplies(1, 10_000)).toEqual([{ ack: 'window' }]);
    c.end();
    await waitFor(() => (lookout.logs().some((l) => l.chunk === 'window' && JSON.stringify(l).includes('-byte window')) ? true : undefined), 'the refusal logged');
    peakRss = Math.max(peakRss, lookout.rss());
  });

  it('item 3: JSON and msgpack nested 5 000 deep get 400 naming the depth, never 5xx', async () => {
    const deepJson = `[{"message":"x","a":${'['.repeat(5000)}${']'.repeat(5000)}}]`;
    const json = await post(deepJson, { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(json.text).toContain('nested more than 64 levels');
    const deepMsgpack = Buffer.concat([Buffer.from([0x81, 0xa1, 0x61]), Buffer.alloc(5000, 0x91), Buffer.from([0xc0])]);
    const msgpack = await post(deepMsgpack, { 'content-type': 'application/msgpack' });
    expect(msgpack.status).toBe(400);
    expect(msgpack.text).toContain('max_nesting_depth');
  });

  it('item 3: a Forward chunk nested 5 000 deep is acknowledged and dropped (not resent for ever), the connection goes on', async () => {
    const deep = Buffer.concat([Buffer.from([0x93, 0xa8]), Buffer.from('app.deep'), Buffer.from([0x91, 0x92, 0x01, 0x81, 0xa1, 0x61]), Buffer.alloc(5000, 0x91), Buffer.from([0xc0]), pack({ chunk: 'deep' })]);
    const c = await RawClient.open(lookout.forwardPort);
    await c.write(deep);
    await c.write(pack(['app.ok', [[T, { message: 'after the deep one' }]], { chunk: 'fine' }]));
    expect(await c.waitForReplies(2, 10_000)).toEqual([{ ack: 'deep' }, { ack: 'fine' }]);
    c.end();
    expect(await lookout.metric('lookout_records_rejected_total', 'reason="too_deep"')).toBeGreaterThanOrEqual(1);
  });

  it('item 4: a 6-byte snappy body declaring 60 MB is refused, not padded with NULs', async () => {
    const body = Buffer.from([0x80, 0x8e, 0xce, 0x1c, 0x00, 0x61]);
    const reply = await post(body, { 'content-type': 'text/plain', 'content-encoding': 'snappy' });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('60000000');
  });

  it('item 7: unfinished HTTP bodies share max_inflight_bytes: beyond it 503, memory stays bounded', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 24 }, async () => {
        const socket = connect({ host: '127.0.0.1', port: lookout.httpPort });
        let answer = '';
        socket.on('data', (d) => (answer += String(d)));
        socket.on('error', () => undefined);
        socket.write(`POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${16 * MiB}\r\n\r\n`);
        await new Promise<void>((resolve) => socket.write(Buffer.alloc(4 * MiB, 0x61), () => resolve()));
        return { socket, answer: () => answer };
      }),
    );
    const refused = await waitFor(() => {
      const n = sockets.filter((s) => s.answer().startsWith('HTTP/1.1 503')).length;
      return n >= 4 ? n : undefined;
    }, 'refusals once 64 MiB of bodies are in flight', 30_000);
    expect(refused).toBeGreaterThanOrEqual(4);
    expect(sockets.find((s) => s.answer().startsWith('HTTP/1.1 503'))!.answer()).toMatch(/retry-after: \d+/i);
    peakRss = Math.max(peakRss, lookout.rss());
    for (const s of sockets) s.socket.destroy();
    const after = await waitForStatus(() => post('back to normal\n', { 'content-type': 'text/plain' }), 200);
    expect(after).toBe(200);
  });

  it('item 7: 20 partial 50 MiB Forward messages share max_inflight_bytes: connections beyond it are closed', async () => {
    const header = Buffer.concat([Buffer.from([0x93, 0xa7]), Buffer.from('app.big'), Buffer.from([0xc6]), Buffer.alloc(4)]);
    header.writeUInt32BE(50 * MiB, header.length - 4);
    const clients = await Promise.all(Array.from({ length: 20 }, () => RawClient.open(lookout.forwardPort)));
    // A heartbeat first (nil, a complete message), so handshake_timeout_seconds does not close them before the cap does.
    await Promise.all(clients.map((c) => c.write(Buffer.from([0xc0]))));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await Promise.all(clients.map((c) => c.write(Buffer.concat([header, Buffer.alloc(5 * MiB)])).catch(() => undefined)));
    const reasons = () => lookout.logs().filter((l) => l.msg === 'closing forward connection').map((l) => l.reason);
    await waitFor(() => (reasons().filter((r) => r === 'inflight_full').length >= 5 ? true : undefined), 'connections closed at max_inflight_bytes', 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; closed for: ${reasons().join(', ')}`);
    });
    peakRss = Math.max(peakRss, lookout.rss());
    for (const c of clients) c.end();
    await Promise.all(clients.map((c) => c.waitForClose(10_000)));
  });

  it('item 7: a Forward connection that sends nothing is closed after handshake_timeout_seconds; connections past max_connections are refused', async () => {
    const silent = await RawClient.open(lookout.forwardPort);
    await silent.waitForClose(15_000);
    await waitFor(() => (lookout.logs().some((l) => l.reason === 'timeout') ? true : undefined), 'the timeout logged');
    const crowd = await Promise.all(Array.from({ length: 45 }, () => RawClient.open(lookout.forwardPort)));
    await waitFor(() => (lookout.logs().some((l) => String(l.msg).includes('max_connections')) ? true : undefined), 'a max_connections refusal', 15_000);
    for (const c of crowd) c.end();
  });

  it('item 8: a 400 answer and the warn log do not echo the bad body', async () => {
    const reply = await post('password=hunter2 and the rest of a form body', { 'content-type': 'application/json' });
    expect(reply.status).toBe(400);
    expect(reply.text).not.toMatch(/password|hunter/);
    await waitFor(() => (lookout.logs().some((l) => l.status === 400 && l.format === 'json') ? true : undefined), 'the refusal logged');
    expect(lookout.cli.stderr()).not.toMatch(/hunter2|password=h/);
  });

  it('stayed up under a memory bound, and at SIGTERM has analysed every record it acknowledged', async () => {
    expect(lookout.alive()).toBe(true);
    expect(peakRss).toBeGreaterThan(0);
    expect(peakRss).toBeLessThan(RSS_BOUND);
    const accepted = await post('one more ordinary line\n', { 'content-type': 'text/plain' });
    expect(accepted.status).toBe(200);
    const result = await lookout.stop();
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const report = lookout.logs().find((l) => l.msg === 'shut down')!;
    expect(report.recordsReceived).toBeGreaterThanOrEqual(4);
    expect(report.recordsAnalyzed).toBe(report.recordsReceived);
  });
});

/** Retries a request (bounded) until it answers `status`; the in-flight bytes of destroyed sockets are released asynchronously. */
async function waitForStatus(send: () => Promise<{ status: number }>, status: number): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const res = await send();
    if (res.status === status) return res.status;
    await new Promise((r) => setTimeout(r, 100));
  }
  return (await send()).status;
}
