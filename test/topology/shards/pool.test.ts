import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { DetectorConfigSchema } from '../../../src/analysis/detector/config.js';
import { LookoutConfigSchema } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/telemetry/log.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import { createAnalyzer } from '../../../src/topology/analyzer.js';
import { WhatIfAnalyzer } from '../../../src/report/whatif.js';
import { ShardPool } from '../../../src/topology/shards/pool.js';
import { shardOf } from '../../../src/topology/shards/shard_key.js';
import type { Window } from '../../../src/windows/window.js';
import { rec } from '../../support/records.js';

const detector = DetectorConfigSchema.parse({ warmup_windows: 2 });
const logger = createLogger('silent');
const pools: ShardPool[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function startPool(shards: number, statePath?: string, keepRecords?: boolean): Promise<ShardPool> {
  const pool = await ShardPool.start({ shards, detector, statePath, logger, keepRecords });
  pools.push(pool);
  return pool;
}

const BASE = Date.now() - 3_600_000;

function windowOf(service: string, host: string, n: number, lines: string[]): Window {
  const start = BASE + n * 60_000;
  const records = lines.map((message, i) => rec({ message, service, host, level: message.startsWith('ERROR') ? 'error' : 'info', timestamp: start + i }, start + i));
  return { stream: `${service}|${host}`, service, host, start, end: start + lines.length, records, lines: records.length, closedBy: 'time' };
}

function steady(i: number): string[] {
  return Array.from({ length: 40 }, (_, k) => `GET /orders/${i * 100 + k} 200 ${k % 9}ms`);
}

describe('shard keys', () => {
  it('are FNV-1a of the stream key (published test vectors), the same in every call', () => {
    // http://www.isthe.com/chongo/tech/comp/fnv/ : FNV-1a 32 of "", "a", "foobar".
    expect(shardOf('', 2 ** 32)).toBe(0x811c9dc5);
    expect(shardOf('a', 2 ** 32)).toBe(0xe40c292c);
    expect(shardOf('foobar', 2 ** 32)).toBe(0xbf9cf968);
    const streams = Array.from({ length: 200 }, (_, i) => `svc-${i % 13}|host-${i}`);
    const first = streams.map((s) => shardOf(s, 3));
    expect(streams.map((s) => shardOf(s, 3))).toEqual(first);
    // Every shard gets a fair part of 200 streams.
    for (let s = 0; s < 3; s++) expect(first.filter((x) => x === s).length).toBeGreaterThan(40);
  });
});

// Each shard starts a worker thread that loads tsx: seconds on a busy machine.
describe('ShardPool', { timeout: 60_000 }, () => {
  it("sends every window of a stream to the same shard, which alone holds that stream's baselines", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookout-shards-'));
    dirs.push(dir);
    const pool = await startPool(2, dir);
    const streams = Array.from({ length: 12 }, (_, i) => ({ service: `svc${i % 4}`, host: `host-${i}` }));
    for (let n = 0; n < 3; n++) {
      const results = await Promise.all(streams.map((s, i) => pool.analyze(windowOf(s.service, s.host, n, steady(i)))));
      expect(results.map((r) => r.window.stream)).toEqual(streams.map((s) => `${s.service}|${s.host}`));
    }
    const expected = [0, 1].map((shard) => streams.filter((s) => shardOf(`${s.service}|${s.host}`, 2) === shard).length);
    expect(expected.every((n) => n > 0)).toBe(true);
    expect(pool.counts()).toEqual([0, 1].map((shard) => ({ shard, windows: expected[shard] * 3, records: expected[shard] * 3 * 40 })));

    const snapshots = await pool.snapshot();
    expect(snapshots.map((s) => [s.format, s.shard, s.shards])).toEqual([
      ['lookout.shard/1', 0, 2],
      ['lookout.shard/1', 1, 2],
    ]);
    for (const s of streams) {
      const key = `${s.service}|${s.host}`;
      const holders = snapshots.filter((snap) => Object.values(snap.files).some((text) => text.includes(JSON.stringify(key)))).map((snap) => snap.shard);
      expect(holders, key).toEqual([shardOf(key, 2)]);
    }
  });

  it('finds what the detector on the main thread finds, window for window', async () => {
    const pool = await startPool(1);
    const local = new EmbeddedAnalyzer(detector);
    const windows = [0, 1, 2, 3].map((n) => windowOf('payments', 'pay-1', n, steady(n)));
    windows.push(windowOf('payments', 'pay-1', 4, [...steady(4).slice(0, 30), ...Array.from({ length: 10 }, (_, k) => `ERROR db pool exhausted: 20/20 connections in use, waited ${k}ms`)]));
    let found = 0;
    for (const [i, w] of windows.entries()) {
      // The pool lets a window's records go once packed: the main-thread detector reads its own copy.
      const copy = { ...w, records: [...w.records] };
      // Every other window is queued first, as the analysis queue does: packed there, analyzed from that packing.
      if (i % 2 === 0) {
        pool.queued(w);
        expect(w.records).toEqual([]);
      }
      const [a, b] = await Promise.all([pool.analyze(w), local.analyze(copy)]);
      expect(a.window).toBe(w);
      expect(w.records).toEqual([]);
      expect(w.lines).toBe(copy.records.length);
      expect({ ...a, window: undefined, gate: undefined }).toEqual({ ...b, window: undefined, gate: undefined });
      found += a.anomalies.length;
    }
    // The comparison covered a window with findings, not only quiet ones.
    expect(found).toBeGreaterThan(0);
  });

  it('keeps a window\'s records after packing them only with keepRecords (the LLM reads them after the answer)', async () => {
    const keeping = await startPool(1, undefined, true);
    const kept = windowOf('payments', 'pay-1', 0, steady(0));
    const records = kept.records;
    keeping.queued(kept);
    expect(kept.records).toBe(records);
    expect((await keeping.analyze(kept)).window.records).toBe(records);
    expect(records).toHaveLength(40);
    const releasing = await startPool(1);
    const released = windowOf('payments', 'pay-1', 0, steady(0));
    const array = released.records;
    const result = await releasing.analyze(released);
    expect(result.window.records).toEqual([]);
    // The array itself is emptied: whoever still holds it (the windower's open window did) holds no record.
    expect(array).toEqual([]);
    expect(result.window.lines).toBe(40);
    expect(releasing.counts()[0].records).toBe(40);
  });

  it('renders the window view only when something reads it (the LLM, the calibration report), with the same findings', async () => {
    const close: Array<() => Promise<void>> = [];
    const results = async (workers: number, report: boolean) => {
      const config = LookoutConfigSchema.parse({ analysis: { workers, detector: { warmup_windows: 2 } } });
      const built = await createAnalyzer(config, { metrics: createMetrics(), logger, now: Date.now, report });
      close.push(() => (built.analyzer.close ? built.analyzer.close() : Promise.resolve()));
      const out = [];
      for (let n = 0; n < 4; n++) out.push(await built.analyzer.analyze(windowOf('payments', 'pay-1', n, n < 3 ? steady(n) : [...steady(n), 'ERROR db pool exhausted'])));
      return out;
    };
    try {
      for (const workers of [0, 1]) {
        const silent = await results(workers, false);
        const read = await results(workers, true);
        expect(silent.map((r) => r.view)).toEqual([undefined, undefined, undefined, undefined]);
        expect(read.every((r) => typeof r.view === 'string' && r.view.includes('stream payments|pay-1'))).toBe(true);
        expect(silent.map((r) => r.anomalies)).toEqual(read.map((r) => r.anomalies));
        expect(silent[3].anomalies.length).toBeGreaterThan(0);
      }
    } finally {
      for (const c of close) await c();
    }
  });

  it("gives the report's what-if shadows the window's records after the shard has answered, as on the main thread", async () => {
    const close: Array<() => Promise<void>> = [];
    const counts = async (workers: number) => {
      const config = LookoutConfigSchema.parse({ analysis: { workers, detector: { warmup_windows: 2 } } });
      const built = await createAnalyzer(config, { metrics: createMetrics(), logger, now: Date.now, report: true });
      const whatIf = new WhatIfAnalyzer(built.analyzer, config.analysis.detector);
      close.push(() => whatIf.close());
      for (let n = 0; n < 6; n++) {
        const lines = n < 4 ? steady(n) : [...steady(n), ...Array.from({ length: 12 }, (_, k) => `ERROR db pool exhausted: 20/20 connections in use, waited ${k}ms`)];
        await whatIf.analyze(windowOf('payments', 'pay-1', n, lines));
      }
      return whatIf.counts;
    };
    try {
      const onMain = await counts(0);
      // The shadows ran on real windows: the looser setting found something.
      expect(Object.values(onMain).some((c) => c.looser > 0)).toBe(true);
      expect(await counts(1)).toEqual(onMain);
    } finally {
      for (const c of close) await c();
    }
  });

  it('reports a silent stream from its shard as the detector on the main thread does, once', async () => {
    const pool = await startPool(2);
    const local = new EmbeddedAnalyzer(detector);
    const streams = ['payments|pay-1', 'search|search-1', 'auth|auth-1'];
    for (let n = 0; n < 6; n++) {
      for (const stream of streams) {
        const [service, host] = stream.split('|');
        const w = windowOf(service, host, n, steady(n));
        await Promise.all([local.analyze({ ...w, records: [...w.records] }), pool.analyze(w)]);
      }
    }
    // Two hours after the last window every stream is quiet; only the main thread knows that clock.
    const later = BASE + 2 * 3_600_000;
    const clock = { streamNow: () => later, openUntil: () => undefined };
    const fromPool = await pool.checkSilence(clock);
    const fromLocal = await local.checkSilence(clock);
    const view = (rs: typeof fromPool) => rs.map((r) => ({ ...r, gate: undefined })).sort((a, b) => (a.window.stream < b.window.stream ? -1 : 1));
    expect(fromPool.map((r) => r.window.stream).sort()).toEqual([...streams].sort());
    expect(view(fromPool)).toEqual(view(fromLocal));
    expect(await pool.checkSilence(clock)).toEqual([]);
  });

  it('resumes a shard elsewhere from its snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookout-shards-'));
    dirs.push(dir);
    const first = await startPool(1, dir);
    for (let n = 0; n < 4; n++) await first.analyze(windowOf('payments', 'pay-1', n, steady(n)));
    const [snap] = await first.snapshot();
    expect(Object.keys(snap.files).length).toBeGreaterThan(0);
    const seen = await first.analyze(windowOf('payments', 'pay-1', 5, ['cache warmed in 12 ms for region eu-1']));
    expect(seen.anomalies.map((a) => a.type)).toContain('new_template');

    // Another process gets the snapshot's files as its shard state and knows the stream as the first did.
    const elsewhere = await mkdtemp(join(tmpdir(), 'lookout-shards-'));
    dirs.push(elsewhere);
    for (const [name, text] of Object.entries(snap.files)) await writeFile(join(elsewhere, name), text);
    const second = await startPool(1, elsewhere);
    const again = await second.analyze(windowOf('payments', 'pay-1', 5, ['cache warmed in 12 ms for region eu-1']));
    expect(again.anomalies.map((a) => a.type)).toContain('new_template');
    const fresh = await startPool(1);
    const unknown = await fresh.analyze(windowOf('payments', 'pay-1', 5, ['cache warmed in 12 ms for region eu-1']));
    // A fresh shard has no baseline for the stream yet, so nothing can be new to it.
    expect(unknown.anomalies).toEqual([]);
  });
});
