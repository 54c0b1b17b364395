import { afterEach, describe, expect, it } from 'vitest';
import { DetectorConfigSchema } from '../../../src/analysis/detector/config.js';
import { LookoutConfigSchema } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/telemetry/log.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import { startLookout, type Lookout } from '../../../src/topology/index.js';
import { ShardPool } from '../../../src/topology/shards/pool.js';
import { RecordingEmitter } from '../../support/lookout.js';

const MAX_BUFFERED = 1000;
const BATCH = 250;
const BATCHES = 24;
const running: Lookout[] = [];
afterEach(async () => {
  for (const l of running.splice(0)) await l.shutdown();
});

function batch(b: number) {
  const base = Date.now();
  return Array.from({ length: BATCH }, (_, i) => ({
    host: `web-${(b + i) % 4}`,
    service: 'checkout',
    message: `GET /orders/${b * BATCH + i} 200 ${i % 50}ms`,
    timestamp: new Date(base + i).toISOString(),
  }));
}

describe('a slow shard', { timeout: 120_000 }, () => {
  it('fills the bounded buffer and the HTTP source answers 429 instead of memory growing; every accepted record is analyzed', async () => {
    const logger = createLogger('silent');
    // Every window takes a shard 150 ms: far slower than the requests arrive.
    const pool = await ShardPool.start({ shards: 1, detector: DetectorConfigSchema.parse({}), logger, delayMs: 150 });
    const config = LookoutConfigSchema.parse({
      sources: { http: { address: '127.0.0.1', port: 0 }, forward: { enabled: false } },
      windows: { max_lines: 100, max_buffered_records: MAX_BUFFERED },
      sinks: [],
      shutdown: { drain_timeout_seconds: 60 },
    });
    const lookout = await startLookout(config, { analyzer: pool, emitter: new RecordingEmitter(), logger, metrics: createMetrics(), tickMs: 50 });
    running.push(lookout);
    const url = `http://127.0.0.1:${lookout.http!.port}/v1/logs`;
    let refused = 0;
    let peakBuffered = 0;
    let peakInflight = 0;
    let next = 0;
    const lane = async () => {
      while (next < BATCHES) {
        const body = JSON.stringify(batch(next++));
        for (let attempt = 0; ; attempt++) {
          if (attempt > 2000) throw new Error('a batch was refused 2000 times');
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          peakBuffered = Math.max(peakBuffered, lookout.windower.buffered.records);
          peakInflight = Math.max(peakInflight, pool.inflight);
          if (res.status === 200) break;
          expect(res.status).toBe(429);
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          refused++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    expect(refused).toBeGreaterThan(0);
    expect(peakBuffered).toBeLessThanOrEqual(MAX_BUFFERED);
    // The shard is handed at most `analysis.concurrency` windows; the rest wait as buffered records.
    expect(peakInflight).toBeLessThanOrEqual(config.analysis.concurrency);
    const report = await lookout.shutdown();
    expect(report).toEqual({ recordsReceived: BATCHES * BATCH, recordsAnalyzed: BATCHES * BATCH, anomaliesLost: 0, drained: true });
    expect(pool.counts()[0].records).toBe(BATCHES * BATCH);
  });
});
