/**
 * Ingest benchmark: records/s, p99 request latency and peak RSS for
 * (a) Vector-shaped NDJSON + gzip batches of 1,000 records of ~200 bytes over
 *     loopback HTTP, and (b) Forward PackedForward messages of 1,000 entries
 *     with acks; then the memory a buffered record costs above its raw size.
 * The load generator runs in a worker thread so the server keeps its own core;
 * analysis is a no-op here, so these are the ingest-only ceiling (sources +
 * windows), never the headline: `npm run bench serve` measures `lookout serve`
 * as users run it, with its detector.
 * Loops are bounded by count and by time.
 */
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import type { Analyzer } from '../../src/analysis/analyzer.js';
import { LookoutConfigSchema } from '../../src/config/schema.js';
import { EventTime, fluentExtensionCodec } from '../../src/sources/fluent_entry.js';
import { createLogger } from '../../src/telemetry/log.js';
import { startLookout } from '../../src/topology/index.js';
import { runLoadClient, vectorEvent } from './shared.js';

const BATCH = 1000;
const BATCHES = 300;
const MAX_SECONDS = 20;
const CONCURRENCY = 4;

const countingAnalyzer: Analyzer = {
  name: 'none',
  analyze: async (window) => ({ window, health: 'normal', score: 0, anomalies: [], analyzer: 'none' }),
};


const CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const { kind, port, payloads, concurrency, maxMs } = workerData;
const latencies = [];
let next = 0;
const start = performance.now();
const done = () => parentPort.postMessage({ latencies, elapsedMs: performance.now() - start, sent: latencies.length });
if (kind === 'http') {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const one = () => new Promise((resolve, reject) => {
    const body = payloads[next++ % payloads.length];
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/logs', method: 'POST', agent,
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? (latencies.push(performance.now() - t0), resolve()) : reject(new Error('status ' + res.statusCode))));
    });
    req.on('error', reject);
    req.end(body);
  });
  const lane = async () => { while (next < workerData.total && performance.now() - start < maxMs) await one(); };
  Promise.all(Array.from({ length: concurrency }, lane)).then(done, (e) => parentPort.postMessage({ error: String(e) }));
} else {
  const sock = net.connect(port, '127.0.0.1');
  const inflight = new Map();
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    // acks are small fixmaps {"ack": "<24 chars>"}: 0x81 0xa3 'ack' 0xb8 + 24 bytes = 30 bytes
    while (buf.length >= 30) {
      const chunk = buf.subarray(6, 30).toString();
      buf = buf.subarray(30);
      const t0 = inflight.get(chunk);
      inflight.delete(chunk);
      latencies.push(performance.now() - t0);
      pump();
    }
    if (latencies.length >= workerData.total || performance.now() - start >= maxMs) { if (inflight.size === 0) { sock.end(); done(); } }
  });
  const pump = () => {
    while (inflight.size < concurrency && next < workerData.total && performance.now() - start < maxMs) {
      const { chunk, bytes } = payloads[next++ % payloads.length];
      inflight.set(chunk + '', performance.now());
      sock.write(bytes);
    }
  };
  sock.on('connect', pump);
}
`;

interface ClientResult {
  latencies: number[];
  elapsedMs: number;
  sent: number;
  error?: string;
}

function runClient(data: Record<string, unknown>): Promise<ClientResult> {
  return runLoadClient<ClientResult>(CLIENT, data);
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

function watchRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

const MiB = 1024 * 1024;

async function startBenchLookout(windowLines: number, analyzer: Analyzer = countingAnalyzer) {
  const config = LookoutConfigSchema.parse({
    sources: { http: { address: '127.0.0.1', port: 0 }, forward: { address: '127.0.0.1', port: 0 } },
    windows: { max_lines: windowLines, max_buffered_records: 2_000_000, max_buffered_bytes: 4 * 1024 * MiB, duration_seconds: 3600 },
    sinks: [],
  });
  return startLookout(config, { analyzer, emitter: { emit: async () => {}, close: async () => {} }, logger: createLogger('silent') });
}

/** Machines like CI's are noisy: each measurement runs this many times on a fresh Lookout and the median is the figure. */
const RUNS = 3;

async function measure(label: string, target: number, kind: 'http' | 'forward', payloads: unknown[], unit: string): Promise<void> {
  const runs: Array<{ rate: number; p99: number; rss: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    const lookout = await startBenchLookout(200);
    const peak = watchRss();
    const port = kind === 'http' ? lookout.http!.port : lookout.forward!.port;
    const r = await runClient({ kind, port, payloads, concurrency: CONCURRENCY, maxMs: MAX_SECONDS * 1000, total: BATCHES });
    const rss = peak();
    await lookout.shutdown();
    runs.push({ rate: (r.sent * BATCH) / (r.elapsedMs / 1000), p99: p99(r.latencies), rss });
  }
  const rates = runs.map((r) => r.rate).sort((a, b) => a - b);
  const median = runs.find((r) => r.rate === rates[Math.floor(RUNS / 2)])!;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(
    `${label}: median ${fmt(median.rate)} records/s over ${RUNS} runs of ${BATCHES * BATCH} records (range ${fmt(rates[0])}–${fmt(rates[RUNS - 1])};` +
      ` target ≥ ${fmt(target)}), p99 ${unit} ${median.p99.toFixed(1)} ms, peak RSS ${(median.rss / MiB).toFixed(0)} MiB\n`,
  );
}

async function benchHttp(): Promise<void> {
  const payloads = Array.from({ length: 20 }, (_, b) =>
    gzipSync(Array.from({ length: BATCH }, (_, i) => JSON.stringify(vectorEvent(b * BATCH + i))).join('\n')),
  );
  await measure('ingest-only ceiling (analysis a no-op, in-process): http ndjson+gzip', 150_000, 'http', payloads, 'request');
}

async function benchForward(): Promise<void> {
  const streams = Array.from({ length: 20 }, (_, b) =>
    Buffer.concat(
      Array.from({ length: BATCH }, (_, i) => {
        const e = vectorEvent(b * BATCH + i);
        return encode([EventTime.fromMillis(Date.parse(e.timestamp as string)), e], { extensionCodec: fluentExtensionCodec });
      }),
    ),
  );
  // A distinct chunk id per message, or the source would (rightly) treat repeats as retries and not re-admit them.
  const payloads = Array.from({ length: BATCHES }, (_, n) => {
    const chunk = `c${String(n).padStart(23, '0')}`;
    return { chunk, bytes: Buffer.from(encode(['app.checkout', streams[n % streams.length], { size: BATCH, chunk }])) };
  });
  await measure('ingest-only ceiling (analysis a no-op, in-process): forward packed_forward', 250_000, 'forward', payloads, 'message');
}

async function benchBufferedMemory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    process.stdout.write('buffered memory: skipped (run with node --expose-gc, as npm run bench does)\n');
    return;
  }
  const RECORDS = 100_000;
  // Analysis is held, so every record stays buffered (open windows and windows queued for analysis alike).
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const holding: Analyzer = { name: 'held', analyze: async (window) => (await held, countingAnalyzer.analyze(window)) };
  const lookout = await startBenchLookout(200, holding);
  const bodies = Array.from({ length: RECORDS / BATCH }, (_, b) => Array.from({ length: BATCH }, (_, i) => JSON.stringify(vectorEvent(b * BATCH + i))).join('\n'));
  const rawBytes = bodies.reduce((s, b) => s + Buffer.byteLength(b), 0);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (const body of bodies) {
    const res = await fetch(`http://127.0.0.1:${lookout.http!.port}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  const buffered = lookout.windower.buffered.records;
  release();
  await lookout.shutdown();
  const perRecord = (after - before) / buffered;
  const rawPerRecord = rawBytes / RECORDS;
  process.stdout.write(
    `buffered memory: ${buffered} records held, ${perRecord.toFixed(0)} B heap per record for ${rawPerRecord.toFixed(0)} B raw ` +
      `= ${(perRecord - rawPerRecord).toFixed(0)} B above raw (target ≤ 1024)\n`,
  );
}

export async function benchIngest(): Promise<void> {
  await benchHttp();
  await benchForward();
  await benchBufferedMemory();
}
