/**
 * Test helpers for sink tests: anomaly records built through the real
 * toAnomalyRecord(), silent deps with a fresh metrics registry, a capturing
 * HTTP server on 127.0.0.1, bounded polling, metric reads, NDJSON reads and
 * per-test scratch directories.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach } from 'vitest';
import type { AnalysisResult } from '../../../src/analysis/analyzer.js';
import type { Anomaly } from '../../../src/analysis/anomaly.js';
import { toAnomalyRecord, type AnomalyRecord } from '../../../src/sinks/record.js';
import { createLogger } from '../../../src/telemetry/log.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import type { SinkDeps } from '../../../src/sinks/delivery/queued-sink.js';

export interface RecordOptions extends Partial<Anomaly> {
  service?: string;
  host?: string;
  /** Window end, epoch ms. */
  end?: number;
  lines?: number;
}

let seq = 0;

/** A real anomaly record; each call gets a distinct window start (so a distinct id) unless `end` is given. */
export function anomalyRecord(over: RecordOptions = {}): AnomalyRecord {
  const { service = 'payments', host = 'web-1', end = Date.UTC(2026, 7, 21, 10, 0, 0, 123) + seq++ * 60_000, lines = 42, ...anomaly } = over;
  const result: AnalysisResult = {
    window: { stream: `${service}|${host}`, service, host, start: end - 60_000, end, records: new Array(lines).fill(null), lines, closedBy: 'time' },
    health: 'degraded',
    score: 0.9,
    anomalies: [],
    analyzer: 'embedded',
  };
  return toAnomalyRecord(
    result,
    {
      severity: 'high',
      type: 'error_burst',
      summary: 'Error rate jumped from 0.1% to 12% after deploy',
      evidence: ['ERROR payments connection refused to db-1:5432', 'ERROR payments retry 3/3 failed', 'WARN pool exhausted', 'ERROR fourth line'],
      recommended_action: 'Check db-1 health and the connection pool size.',
      score: 0.91,
      templates: ['tpl-main', 'tpl-2'],
      detector: 'embedded',
      analysis: 'full',
      ...anomaly,
    },
    { env: 'test' },
    Date.UTC(2026, 7, 21, 10, 0, 5),
  );
}

export function testDeps(extra: Partial<SinkDeps> = {}) {
  const metrics = createMetrics();
  return { metrics, logger: createLogger('silent'), random: () => 0.5, ...extra } satisfies SinkDeps;
}

/** Fast retry timing for tests (the queue's defaults are seconds). */
export const FAST_RETRY = { retry_initial_backoff_ms: 10, retry_max_backoff_ms: 40, retry_after_max_ms: 2_000 } as const;

/** Polls `cond` every 10 ms until true or `timeoutMs` passes; throws with `what` on timeout. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function metricValue(deps: { metrics: { registry: import('prom-client').Registry } }, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = deps.metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  return data.values.filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)).reduce((s, v) => s + v.value, 0);
}

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** Raw body bytes as received. */
  raw: Buffer;
  /** Body after undoing Content-Encoding: gzip. */
  body: string;
}

export type Reply = (req: CapturedRequest, res: ServerResponse) => void;

export interface TestServer {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/** An HTTP/1.1 server on 127.0.0.1:0 that records every request and answers through `reply`. */
export async function startServer(reply: Reply): Promise<TestServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      const captured = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body };
      requests.push(captured);
      reply(captured, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Anomaly records of an NDJSON file the file or stdout sink wrote. */
export async function readNdjson(path: string): Promise<AnomalyRecord[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AnomalyRecord);
}

/**
 * A temporary directory and the test servers of one test, both cleaned up
 * after it: call at the top of a file or describe block.
 */
export function useScratch(prefix: string): { readonly dir: string; server(reply: Reply): Promise<TestServer> } {
  let dir = '';
  const servers: TestServer[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    async server(reply) {
      const s = await startServer(reply);
      servers.push(s);
      return s;
    },
  };
}
