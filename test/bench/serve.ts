/**
 * Serve benchmark — the headline figures: `lookout serve` as a user runs it
 * (built first, then a spawned `node dist/cli.js serve` — the installed bin —
 * in its default configuration, so
 * the embedded detector on its default shard workers and anomalies on stdout),
 * loaded over loopback with 1,000-record batches on 4 connections:
 *   - HTTP JSON array (Vector's `http` sink default body),
 *   - HTTP NDJSON + gzip (Vector with `framing.method = "newline_delimited"`),
 *   - Forward PackedForward with `chunk` acks (Fluent Bit `Require_ack_response`).
 * Each run warms the process up for WARMUP_SECONDS (not counted) and waits for
 * its buffer to empty, then loads for LOAD_SECONDS and sends SIGTERM: the
 * process drains every window through analysis and reports records received
 * and analyzed, which must be equal and cover every acknowledged record. The
 * figure is end to end: acknowledged records over (load + drain) time; the
 * CPU-seconds are those of the measured load and drain. Also printed: p99 request
 * latency, the server's peak RSS (VmHWM), its CPU-seconds per million records
 * (steadier than rates on a shared machine), 429 answers, and the per-second
 * acknowledged counts (flat = bounded). A 429 is retried after 20 ms (Vector
 * would wait longer; the short wait keeps the pipe full).
 *
 * Then `lookout analyze` on a generated file of ANALYZE_MB: lines/s, peak RSS,
 * CPU-seconds per million lines.
 *
 * Knobs (environment): BENCH_RUNS (3), BENCH_SECONDS of load (10),
 * BENCH_ANALYZE_MB (500, the size the goal names), BENCH_ONLY (json,ndjson,forward,analyze), BENCH_NODE_ARGS
 * (extra node flags for the spawned lookout, e.g. --cpu-prof).
 *
 * Linux only for CPU and RSS (read from /proc); loops are bounded by time and
 * batch count. The load generator runs in worker threads of this process and
 * shares the machine's cores with the server: the figures are for the two
 * together, and noisy when other work shares the machine (median of RUNS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { EventTime, fluentExtensionCodec } from '../../src/sources/fluent_entry.js';
import { writeSample } from './file_read.js';
import { freePort } from '../support/ports.js';
import { REPO_ROOT, runLoadClient, vectorEvent } from './shared.js';

const BATCH = 1000;
const CONNECTIONS = 4;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Upper bound on batches per run, whatever the speed. */
const MAX_BATCHES = 20_000;
const ANALYZE_MB = Number(process.env.BENCH_ANALYZE_MB ?? 500);
const START_TIMEOUT_MS = 60_000;
const WARMUP_SECONDS = 3;
/** After the warm-up, measuring starts once the buffer holds no more than this (its open windows). */
const WARM_BUFFER_LEFT = 5_000;
const MiB = 1024 * 1024;

type Kind = 'json' | 'ndjson' | 'forward';

const MESSAGES = [
  (i: number) => `GET /api/v1/orders/${100000 + i} 200 ${(i % 97) + 3}ms user=u${i % 5000} trace=${(i * 2654435761) % 4294967296}`,
  (i: number) => `POST /api/v1/checkout cart=${i % 9000} items=${i % 7} total=${(i % 300) + 0.99} EUR ok`,
  (i: number) => `cache miss for key product:${i % 20000} fetched from db in ${(i % 40) + 1} ms`,
  (i: number) => `payment authorized for order ${100000 + i} via card ending ${1000 + (i % 9000)}`,
  (i: number) => `WARN slow query on orders took ${(i % 900) + 100} ms rows=${i % 50}`,
];

/** Mostly access lines, one record in seven a warning or error of a few kinds, as a real service logs. */
function message(i: number): string {
  return MESSAGES[i % 7 === 0 ? 1 + (i % 4) : 0](i);
}


const CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const { kind, port, payloads, connections, seconds, maxBatches, batch } = workerData;
const latencies = [];
const perSecond = [];
let next = 0, acked = 0, refused = 0;
const start = performance.now();
const end = start + seconds * 1000;
const count = () => { const s = Math.floor((performance.now() - start) / 1000); perSecond[s] = (perSecond[s] || 0) + batch; acked += batch; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const done = () => parentPort.postMessage({ latencies, perSecond: Array.from(perSecond, (v) => v || 0), acked, refused, elapsedMs: performance.now() - start });
const fail = (e) => parentPort.postMessage({ error: String(e && e.stack || e) });
if (kind !== 'forward') {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const type = kind === 'json' ? { 'content-type': 'application/json' } : { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' };
  const post = (body) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/logs', method: 'POST', agent, headers: { ...type, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
  const lane = async () => {
    while (performance.now() < end && next < maxBatches) {
      const body = payloads[next++ % payloads.length];
      for (;;) {
        const t0 = performance.now();
        const status = await post(body);
        if (status === 200) { latencies.push(performance.now() - t0); count(); break; }
        if (status !== 429) throw new Error('status ' + status);
        refused++;
        await sleep(20);
      }
    }
  };
  Promise.all(Array.from({ length: connections }, lane)).then(done, fail);
} else {
  // payloads: PackedForward messages without their last 24 bytes, the chunk id written per send.
  const lane = (c) => new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0), seq = 0, t0 = 0;
    const send = () => {
      if (performance.now() >= end || next >= maxBatches) { sock.end(); return resolve(); }
      const prefix = payloads[next++ % payloads.length];
      // Unique across the warm-up and the measured load, or the source would (rightly) ack repeats without admitting them.
      const chunk = (workerData.chunkPrefix + c + '-' + seq++).padEnd(24, '.');
      t0 = performance.now();
      sock.write(prefix);
      sock.write(chunk);
    };
    sock.on('data', (d) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      // An ack is {"ack": <24-char chunk>}: 0x81 0xa3 'ack' 0xb8 + 24 bytes = 30 bytes.
      while (buf.length >= 30) { buf = buf.subarray(30); latencies.push(performance.now() - t0); count(); send(); }
    });
    sock.on('error', reject);
    sock.on('connect', send);
  });
  Promise.all(Array.from({ length: connections }, (_, c) => lane(c))).then(done, fail);
}
`;

interface ClientResult {
  latencies: number[];
  perSecond: number[];
  acked: number;
  refused: number;
  elapsedMs: number;
  error?: string;
}

function runClient(data: Record<string, unknown>): Promise<ClientResult> {
  return runLoadClient<ClientResult>(CLIENT, data);
}

function payloadsFor(kind: Kind): Buffer[] {
  const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: BATCH }, (_, i) => vectorEvent(b * BATCH + i, message(b * BATCH + i))));
  if (kind === 'json') return batches.map((events) => Buffer.from(JSON.stringify(events)));
  if (kind === 'ndjson') return batches.map((events) => gzipSync(events.map((e) => JSON.stringify(e)).join('\n')));
  return batches.map((events) => {
    const entries = Buffer.concat(
      events.map((e) => encode([EventTime.fromMillis(Date.parse(e.timestamp as string)), e], { extensionCodec: fluentExtensionCodec })),
    );
    const whole = Buffer.from(encode(['app.checkout', entries, { size: BATCH, chunk: 'x'.repeat(24) }]));
    return whole.subarray(0, whole.length - 24);
  });
}

/** CPU seconds (user + system) and memory of a process, from /proc; undefined where there is no /proc. */
function procSample(pid: number): { cpu: number; rss: number; hwm: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return { cpu: (Number(f[11]) + Number(f[12])) / 100, rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Polls a process's /proc figures until stopped; keeps the last sample (VmHWM and CPU only grow). */
function watch(pid: number) {
  let last = procSample(pid);
  // A process that has exited but not been reaped still has a stat, without memory figures.
  const sample = () => {
    const s = procSample(pid);
    if (s && s.hwm > 0) last = s;
    return last;
  };
  const timer = setInterval(sample, 50);
  return {
    now: sample,
    stop: () => {
      clearInterval(timer);
      return last;
    },
  };
}


/** Builds dist/ (`npm run build`) so the runs use the `lookout` bin users install, not tsx. */
async function build(): Promise<void> {
  const child = spawn('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`npm run build exited ${code}`);
}

function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return spawn(process.execPath, [...nodeArgs, 'dist/cli.js', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOOKOUT_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface Served {
  child: ChildProcess;
  httpPort: number;
  forwardPort: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startServe(): Promise<Served> {
  const httpPort = await freePort();
  const forwardPort = await freePort();
  const child = spawnCli(['serve'], {
    LOOKOUT_SOURCES__HTTP__ADDRESS: '127.0.0.1',
    LOOKOUT_SOURCES__HTTP__PORT: String(httpPort),
    LOOKOUT_SOURCES__FORWARD__ADDRESS: '127.0.0.1',
    LOOKOUT_SOURCES__FORWARD__PORT: String(forwardPort),
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-1_000_000)));
  // Anomaly records (the stdout sink) are read and dropped, as a pipeline would take them.
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`lookout serve exited at start-up: ${stderr.slice(-2000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('lookout serve did not become ready within 60 s');
    }
    try {
      if ((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, httpPort, forwardPort, stderr: () => stderr, exited };
}

function shutdownReport(stderr: string): { recordsReceived: number; recordsAnalyzed: number; drained: boolean } | undefined {
  for (const line of stderr.split('\n').reverse()) {
    if (!line.includes('"shut down"')) continue;
    try {
      return JSON.parse(line) as { recordsReceived: number; recordsAnalyzed: number; drained: boolean };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

interface Run {
  rate: number;
  p99: number;
  hwm: number;
  cpuPerMillion: number;
  refused: number;
  perSecond: number[];
  acked: number;
  received: number;
  analyzed: number;
  drainSeconds: number;
  complete: boolean;
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

async function bufferedRecords(httpPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  return Number(/^lookout_buffer_records (\S+)$/m.exec(text)?.[1] ?? NaN);
}

async function runOnce(kind: Kind, payloads: Buffer[]): Promise<Run> {
  const served = await startServe();
  const pid = served.child.pid!;
  const proc = watch(pid);
  const port = kind === 'forward' ? served.forwardPort : served.httpPort;
  const load = { kind, port, payloads, connections: CONNECTIONS, maxBatches: MAX_BATCHES, batch: BATCH };
  // Warm-up, not counted: the first seconds compile the decoders and the detector (in each shard).
  const warm = await runClient({ ...load, seconds: WARMUP_SECONDS, chunkPrefix: 'w' });
  for (let i = 0; i < 300 && (await bufferedRecords(served.httpPort)) > WARM_BUFFER_LEFT; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const before = proc.now();
  const r = await runClient({ ...load, seconds: LOAD_SECONDS, chunkPrefix: 'm' });
  const sigterm = performance.now();
  served.child.kill('SIGTERM');
  const code = await served.exited;
  const drainSeconds = (performance.now() - sigterm) / 1000;
  const after = proc.stop();
  const report = shutdownReport(served.stderr());
  if (code !== 0 || !report) throw new Error(`lookout serve exited ${code} without a shutdown report: ${served.stderr().slice(-2000)}`);
  const cpu = before && after ? after.cpu - before.cpu : NaN;
  return {
    rate: r.acked / (r.elapsedMs / 1000 + drainSeconds),
    p99: p99(r.latencies),
    hwm: after?.hwm ?? NaN,
    cpuPerMillion: (cpu / Math.max(1, report.recordsReceived - warm.acked)) * 1e6,
    refused: r.refused,
    perSecond: r.perSecond,
    acked: r.acked,
    received: report.recordsReceived - warm.acked,
    analyzed: report.recordsAnalyzed - warm.acked,
    drainSeconds,
    complete: report.drained && report.recordsAnalyzed === report.recordsReceived && report.recordsReceived >= warm.acked + r.acked,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function median<T>(runs: T[], key: (t: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)];
}

async function benchServeKind(label: string, kind: Kind, target: number): Promise<void> {
  const payloads = payloadsFor(kind);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runOnce(kind, payloads));
  const m = median(runs, (r) => r.rate);
  const rates = runs.map((r) => r.rate).sort((a, b) => a - b);
  const cpu = median(runs, (r) => r.cpuPerMillion).cpuPerMillion;
  process.stdout.write(
    `${label}: ${fmt(m.rate)} records/s end to end (median of ${RUNS}, range ${fmt(rates[0])}–${fmt(rates[rates.length - 1])}; target ≥ ${fmt(target)}), ` +
      `p99 request ${m.p99.toFixed(1)} ms, peak RSS ${(m.hwm / MiB).toFixed(0)} MiB, ${cpu.toFixed(2)} CPU-s per million records (median), ` +
      `429s ${m.refused}, drain ${m.drainSeconds.toFixed(1)} s\n` +
      `  acked ${fmt(m.acked)}, received ${fmt(m.received)}, analyzed ${fmt(m.analyzed)}: ` +
      `${runs.every((r) => r.complete) ? 'every acknowledged record analyzed in every run' : 'INCOMPLETE: some acknowledged records were not analyzed'}\n` +
      `  per second (k records acked): ${m.perSecond.map((v) => (v / 1000).toFixed(0)).join(' ')}\n`,
  );
}

async function benchAnalyze(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lookout-bench-analyze-'));
  const path = join(dir, 'bench.log');
  try {
    const lines = await writeSample(path, ANALYZE_MB * MiB);
    const runs: Array<{ rate: number; hwm: number; cpuPerMillion: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const child = spawnCli(['analyze', path, '--output', 'ndjson'], { LOOKOUT_LOG_LEVEL: 'warn' });
      const proc = watch(child.pid!);
      child.stdout!.resume();
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-10_000)));
      const [code] = (await once(child, 'exit')) as [number | null];
      const seconds = (performance.now() - started) / 1000;
      const last = proc.stop();
      if (code !== 0) throw new Error(`lookout analyze exited ${code}: ${stderr}`);
      runs.push({ rate: lines / seconds, hwm: last?.hwm ?? NaN, cpuPerMillion: ((last?.cpu ?? NaN) / lines) * 1e6 });
    }
    const m = median(runs, (r) => r.rate);
    process.stdout.write(
      `analyze: ${ANALYZE_MB} MB, ${fmt(lines)} lines: ${fmt(m.rate)} lines/s wall clock including start-up (median of ${RUNS}; target ≥ 500,000), ` +
        `peak RSS ${(Math.max(...runs.map((r) => r.hwm)) / MiB).toFixed(0)} MiB (target < 512), ` +
        `${median(runs, (r) => r.cpuPerMillion).cpuPerMillion.toFixed(2)} CPU-s per million lines\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchServe(): Promise<void> {
  if (!existsSync('/proc/self/stat')) process.stdout.write('(no /proc: CPU and RSS figures are n/a)\n');
  await build();
  process.stdout.write(
    `machine: ${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0].toFixed(2)} at start; ` +
      `lookout serve (dist/cli.js) with its defaults (embedded detector on ${Math.max(1, availableParallelism() - 1)} shard worker(s)), ` +
      `${LOAD_SECONDS} s of load per run, ${CONNECTIONS} connections × ${BATCH}-record batches, client in this process on the same cores\n`,
  );
  const only = process.env.BENCH_ONLY?.split(',');
  const wanted = (name: string) => !only || only.includes(name);
  if (wanted('json')) await benchServeKind('serve http json array', 'json', 350_000);
  if (wanted('ndjson')) await benchServeKind('serve http ndjson+gzip', 'ndjson', 280_000);
  if (wanted('forward')) await benchServeKind('serve forward acked', 'forward', 300_000);
  if (wanted('analyze')) await benchAnalyze();
}
