/**
 * A bounded soak (issue 9, "Done when"): one `lookout serve` process with its
 * heap capped (--max-old-space-size) takes about 20 s of mixed traffic on both
 * listeners: ordinary Vector-style NDJSON batches and Fluent Bit-style Forward
 * chunks, interleaved with hostile bodies (decode bombs, deep nesting, lying
 * snappy, tiny-block zstd, garbage, partial messages), while its model server
 * flaps (answers, 500s, hangs past the timeout) and its HTTP sink flaps
 * (200 / 503). Then the traffic stops and it gets SIGTERM.
 * It must never die or restart (one pid, exit 0, one shutdown report), its RSS
 * must stay under the bound, no request may get a 500, and every record it
 * acknowledged (200 `accepted`, Forward ack) must be analysed:
 * acknowledged = received = analysed in the shutdown report.
 *
 * Relies on the shutdown drain finishing within drain_timeout_seconds while
 * the model hangs: here model calls are bounded by timeout_seconds × attempts,
 * well inside the drain timeout; aborting them at shutdown is wip/clocks' work.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { afterAll, describe, expect, it } from 'vitest';
import { EventTime, fluentExtensionCodec } from '../../src/sources/fluent_entry.js';
import { ModelServer, reply, type Behaviour } from '../support/model_server.js';
import { startServe } from '../support/serve_process.js';
import { RawClient } from '../sources/forward/harness.js';

const MiB = 1024 * 1024;
const SOAK_MS = Number(process.env.SOAK_MS ?? 20_000);
const HEAP_LIMIT_MB = 384;
const RSS_BOUND = 640 * MiB;
const T = () => EventTime.fromMillis(Date.now());
const pack = (v: unknown) => Buffer.from(encode(v, { extensionCodec: fluentExtensionCodec }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let model: ModelServer | undefined;
let sink: Server | undefined;
afterAll(async () => {
  await model?.close();
  if (sink) await new Promise((resolve) => sink!.close(resolve));
});

/** An HTTP sink target that answers 200 and 503 in turns of a second. */
async function flappingSink(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  sink = createServer((req, res) => {
    req.resume();
    hits++;
    res.writeHead(Math.floor(Date.now() / 1000) % 2 === 0 ? 200 : 503).end();
  });
  sink.listen(0, '127.0.0.1');
  await once(sink, 'listening');
  return { url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/ingest`, hits: () => hits };
}

const quiet = { anomalies: [], window_health: 'normal', total_lines_analyzed: 1 };
const FLAPS: Behaviour[] = [reply.ok(quiet), reply.status500(), reply.hang(), reply.ok(quiet), reply.delay(300, reply.ok(quiet)), reply.status500()];

const hostileHttp: Array<[string, Buffer, Record<string, string>]> = [
  ['records bomb', gzipSync(`[${'{},'.repeat(2_000_000)}{}]`), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
  ['map32 claim', gzipSync(Buffer.concat([Buffer.from([0xdd, 0x02, 0x00, 0x00, 0x00]), Buffer.alloc(4 * MiB, 0x80)])), { 'content-type': 'application/msgpack', 'content-encoding': 'gzip' }],
  ['deep json', Buffer.from(`[{"message":"x","a":${'['.repeat(6000)}${']'.repeat(6000)}}]`), { 'content-type': 'application/json' }],
  ['deep msgpack', Buffer.concat([Buffer.from([0x81, 0xa1, 0x61]), Buffer.alloc(6000, 0x91), Buffer.from([0xc0])]), { 'content-type': 'application/msgpack' }],
  ['lying snappy', Buffer.from([0x80, 0x8e, 0xce, 0x1c, 0x00, 0x61]), { 'content-type': 'text/plain', 'content-encoding': 'snappy' }],
  [
    'tiny-block zstd',
    Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (26 - 10) << 3]), Buffer.alloc(9000 * 3), Buffer.from([0x31, 0x00, 0x00]), Buffer.from('hello\n')]),
    { 'content-type': 'text/plain', 'content-encoding': 'zstd' },
  ],
  ['garbage', Buffer.from('password=hunter2 {{{{ ]]]'), { 'content-type': 'application/json' }],
  ['corrupt gzip', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
];

const hostileForward: Buffer[] = [
  Buffer.concat([Buffer.from([0x93, 0xa6]), Buffer.from('app.dp'), Buffer.from([0x91, 0x92, 0x01, 0x81, 0xa1, 0x61]), Buffer.alloc(6000, 0x91), Buffer.from([0xc0]), pack({ chunk: 'hostile' })]),
  pack(['app.flood', Array.from({ length: 120_000 }, () => [1, {}]), { chunk: 'hostile' }]),
  Buffer.from([0xc1, 0xc1, 0xc1]),
  Buffer.concat([Buffer.from([0x93, 0xa3]), Buffer.from('app'), Buffer.from([0xc6, 0x01, 0x00, 0x00, 0x00]), Buffer.alloc(64 * 1024)]),
];

describe('soak: mixed valid and hostile traffic, flapping model and sink, then SIGTERM', () => {
  it('never dies, stays under its memory bound, never answers 500, and analyses every acknowledged record', { timeout: 120_000 }, async () => {
    model = await ModelServer.start({ otherwise: reply.ok(quiet) });
    model.script(...Array.from({ length: 400 }, (_, i) => FLAPS[i % FLAPS.length]));
    const target = await flappingSink();
    const lookout = await startServe(
      {
        sources: {
          http: { max_inflight_bytes: 32 * MiB },
          forward: { max_inflight_bytes: 32 * MiB, handshake_timeout_seconds: 5 },
        },
        windows: { duration_seconds: 2, max_lines: 200, max_buffered_bytes: 64 * MiB, max_buffered_records: 50_000 },
        analysis: {
          llm: { base_url: model.baseUrl, model: 'soak', mode: 'always', timeout_seconds: 1, retries: 1, backoff_base_ms: 50, backoff_max_ms: 200, breaker: { failures: 50, cooldown_seconds: 1 } },
        },
        sinks: [{ type: 'http', uri: target.url, retry_initial_backoff_ms: 50, retry_max_backoff_ms: 200, timeout_ms: 1000 }],
        shutdown: { drain_timeout_seconds: 30 },
      },
      { env: { NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}` } },
    );
    const pid = lookout.pid;
    let peakRss = 0;
    const sampler = setInterval(() => {
      if (lookout.alive()) peakRss = Math.max(peakRss, lookout.rss());
    }, 100);

    let acknowledged = 0;
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const until = Date.now() + SOAK_MS;
    const post = async (body: Buffer | string, headers: Record<string, string>) => {
      const res = await fetch(`${lookout.url}/v1/logs`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
      const text = await res.text();
      count(res.status);
      return { status: res.status, text };
    };

    const vectorClient = async (id: number) => {
      for (let batch = 0; Date.now() < until; batch++) {
        // Every third batch is an error surge with timeouts, so there are anomalies for the flapping sink.
        const surge = batch % 3 === 0;
        const lines = Array.from({ length: 50 }, (_, i) =>
          JSON.stringify(
            surge && i % 2 === 0
              ? { message: `payment gateway timeout after 30000ms order=${batch}-${i}`, level: 'error', service: `svc-${id}`, host: 'web-1' }
              : { message: `GET /api/item/${i} 200 ${(batch + i) % 40}ms`, level: 'info', service: `svc-${id}`, host: 'web-1', timestamp: new Date().toISOString() },
          ),
        ).join('\n');
        // Like Vector: the same batch again on 429/503 until it is taken.
        for (let attempt = 0; attempt < 50; attempt++) {
          const { status, text } = await post(lines, { 'content-type': 'application/x-ndjson' });
          if (status === 200) {
            acknowledged += (JSON.parse(text) as { accepted: number }).accepted;
            break;
          }
          await sleep(100);
        }
      }
    };

    const hostileHttpClient = async () => {
      for (let i = 0; Date.now() < until; i++) {
        const [, body, headers] = hostileHttp[i % hostileHttp.length];
        const { status, text } = await post(body, headers);
        if (status === 200) acknowledged += (JSON.parse(text) as { accepted: number }).accepted;
        await sleep(50);
      }
    };

    const fluentBitClient = async () => {
      let c = await RawClient.open(lookout.forwardPort);
      for (let chunk = 0; Date.now() < until; chunk++) {
        const entries = Array.from({ length: 20 }, (_, i) => [T(), { log: `worker ${i} finished job ${chunk}`, level: 'info', service: 'jobs' }]);
        const id = `valid-${chunk}`;
        await c.write(pack(['app.jobs', entries, { chunk: id }]));
        await c.waitForReplies(c.replies.length + 1, 30_000);
        const last = c.replies[c.replies.length - 1] as { ack?: string };
        if (last.ack === id) acknowledged += entries.length;
        if (chunk % 50 === 49) {
          c.socket.end();
          await c.waitForClose(10_000);
          c = await RawClient.open(lookout.forwardPort);
        }
      }
      c.socket.end();
      await c.waitForClose(10_000);
    };

    const hostileForwardClient = async () => {
      for (let i = 0; Date.now() < until; i++) {
        const c = await RawClient.open(lookout.forwardPort);
        await c.write(hostileForward[i % hostileForward.length]).catch(() => undefined);
        c.socket.end();
        await c.waitForClose(15_000).catch(() => c.end());
        await sleep(100);
      }
    };

    try {
      await Promise.all([vectorClient(1), vectorClient(2), hostileHttpClient(), fluentBitClient(), hostileForwardClient()]);
      expect(lookout.alive()).toBe(true);
      const result = await lookout.stop();
      clearInterval(sampler);
      expect(result.code, result.stderr.slice(-3000)).toBe(0);
      expect(result.signal).toBeNull();
      expect(lookout.cli.child.pid).toBe(pid);
      const reports = lookout.logs().filter((l) => l.msg === 'shut down');
      expect(reports).toHaveLength(1);
      console.info(`soak: ${acknowledged} records acknowledged, statuses ${JSON.stringify([...statuses])}, peak RSS ${Math.round(peakRss / MiB)} MiB, ${model!.requests.length} model requests, ${target.hits()} sink requests`);
      expect(statuses.get(500) ?? 0, JSON.stringify([...statuses])).toBe(0);
      expect(acknowledged).toBeGreaterThan(1000);
      expect(reports[0]).toMatchObject({ recordsReceived: acknowledged, recordsAnalyzed: acknowledged, drained: true });
      expect(peakRss).toBeGreaterThan(0);
      expect(peakRss).toBeLessThan(RSS_BOUND);
      expect(model!.requests.length).toBeGreaterThan(0);
      expect(target.hits()).toBeGreaterThan(0);
    } finally {
      clearInterval(sampler);
      if (lookout.alive()) lookout.cli.child.kill('SIGKILL');
    }
  });
});
