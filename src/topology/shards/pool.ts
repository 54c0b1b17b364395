/**
 * ShardPool: the embedded detector run on worker threads
 * (https://nodejs.org/api/worker_threads.html), one shard per worker. Each
 * stream belongs to one shard by a stable hash of its key (./shard_key.ts);
 * each shard has its own template miner and baselines, so shards share
 * nothing and analyze on every core while the main thread keeps ingesting.
 * It is an `Analyzer` (the LLM wraps it on the main thread, where its I/O
 * waits belong) and a `SilenceWatcher` (it asks every shard).
 *
 * Guarantees: a stream's windows reach its shard in the order they were
 * handed in, and the shard analyzes them in that order. The pool adds no
 * queue of its own: windows in flight are bounded by the analysis queue's
 * concurrency and, like every window not yet analyzed, count against the
 * window buffer bounds, so a slow shard fills the buffer and the sources push
 * back (HTTP 429, Forward stops reading) instead of memory growing. Records
 * travel packed (./packed_window.ts) and, unless `keepRecords`, leave the
 * window once packed (`lines` keeps their count): packed as soon as the
 * window is queued, so the records of windows waiting for a shard die young
 * instead of being copied by every collection until their turn. A shard
 * whose worker dies fails its windows in flight (they are logged and released, never retried in a loop)
 * and is restarted from its last saved state. `close()` saves every shard.
 *
 * State: with one shard, `state_path` itself (the single-analyzer layout);
 * with N shards, `state_path/shard-<i>-of-<N>`. `snapshot()` returns each
 * shard's state as plain data (./protocol.ts ShardSnapshot).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalysisResult, Analyzer } from '../../analysis/analyzer.js';
import type { DetectorConfig } from '../../analysis/detector/config.js';
import type { SilenceClock } from '../../analysis/detector/silence.js';
import type { Logger } from '../../telemetry/log.js';
import type { Window } from '../../windows/window.js';
import type { SilenceWatcher } from '../analyzer.js';
import { ShardError } from './errors.js';
import { packWindow } from './packed_window.js';
import type { ClockReading, ShardReply, ShardRequest, ShardResult, ShardSnapshot, ShardWorkerData } from './protocol.js';
import { shardOf } from './shard_key.js';

export interface ShardPoolOptions {
  shards: number;
  detector: DetectorConfig;
  statePath?: string;
  logger: Logger;
  /** Artificial delay per window in every shard: lets tests have a slow shard. */
  delayMs?: number;
  /**
   * Keep each window's records after packing them, for an analyzer that reads
   * them once the shard has answered (the LLM, the report's what-if shadows). Without it they are packed
   * when the window is queued and let go: a window waiting or in flight costs
   * the main heap only its packed buffers.
   */
  keepRecords?: boolean;
  /** Results carry the compressed window view (default true); without an LLM or a report nothing reads it. */
  renderView?: boolean;
}

export interface ShardCounts {
  shard: number;
  windows: number;
  records: number;
}

type SilenceReply = Extract<ShardReply, { type: 'silence' }>;
type Pending = { resolve: (reply: ShardReply) => void; reject: (err: Error) => void };
type Request = ShardRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The directory a shard keeps its state in. */
export function shardStatePath(statePath: string, shard: number, shards: number): string {
  return shards === 1 ? statePath : join(statePath, `shard-${shard}-of-${shards}`);
}

class Shard {
  private worker!: Worker;
  private ready!: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closing = false;
  windows = 0;
  records = 0;

  constructor(
    readonly index: number,
    private readonly data: ShardWorkerData,
    private readonly logger: Logger,
  ) {
    this.spawn();
  }

  get inflight(): number {
    return this.pending.size;
  }

  started(): Promise<void> {
    return this.ready;
  }

  async request(req: Request, transfer: ArrayBuffer[] = []): Promise<ShardReply> {
    await this.ready;
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    const reply = new Promise<ShardReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ ...req, id }, transfer);
    return reply;
  }

  async terminate(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private spawn(): void {
    const worker = startWorker(this.data);
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      const onStart = (m: ShardReply) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'failed') reject(new ShardError(this.index, m.message));
      };
      worker.on('message', (m: ShardReply) => {
        if (!('id' in m)) return onStart(m);
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) worker.unref();
        if (m.type === 'error') p.reject(Object.assign(new ShardError(this.index, m.message), { stack: m.stack }));
        else p.resolve(m);
      });
      worker.once('error', (err) => {
        reject(new ShardError(this.index, `worker failed: ${err.message}`, { cause: err }));
        this.logger.error({ err, shard: this.index }, 'analysis shard failed');
      });
      worker.once('exit', (code) => {
        reject(new ShardError(this.index, `worker exited with code ${code} before it was ready`));
        const lost = [...this.pending.values()];
        this.pending.clear();
        for (const p of lost) p.reject(new ShardError(this.index, `worker exited with code ${code}`));
        if (!this.closing) {
          this.logger.error({ shard: this.index, code, lost: lost.length }, 'analysis shard exited; restarting it from its saved state');
          this.spawn();
        }
      });
    });
    // A failed start is reported to whoever awaits it; no unhandled rejection meanwhile. Once
    // started, an idle shard must not keep the process alive (a request refs it while it waits).
    this.ready.then(
      () => this.pending.size === 0 && worker.unref(),
      () => undefined,
    );
  }
}

export class ShardPool implements Analyzer, SilenceWatcher {
  readonly name = 'embedded';
  private readonly shards: Shard[];
  /** Per shard, the streams whose clock it read at the last silence check. */
  private readonly asked: string[][];
  /** Windows packed when queued, until their turn. */
  private readonly packed = new WeakMap<Window, ReturnType<typeof packWindow>>();

  private constructor(private readonly opts: ShardPoolOptions) {
    this.shards = Array.from({ length: opts.shards }, (_, i) => {
      const data: ShardWorkerData = {
        shard: i,
        shards: opts.shards,
        detector: opts.detector,
        statePath: opts.statePath === undefined ? undefined : shardStatePath(opts.statePath, i, opts.shards),
        delayMs: opts.delayMs,
        renderView: opts.renderView ?? true,
      };
      return new Shard(i, data, opts.logger);
    });
    this.asked = this.shards.map(() => []);
  }

  /** Starts every shard and waits until each has loaded its state; rejects (after stopping them) if one cannot. */
  static async start(opts: ShardPoolOptions): Promise<ShardPool> {
    if (!Number.isInteger(opts.shards) || opts.shards < 1) throw new RangeError(`shards must be a positive integer, got ${opts.shards}`);
    const pool = new ShardPool(opts);
    try {
      await Promise.all(pool.shards.map((s) => s.started()));
    } catch (err) {
      await Promise.all(pool.shards.map((s) => s.terminate()));
      throw err;
    }
    if (opts.statePath !== undefined) warnAboutOtherLayouts(opts.statePath, opts.shards, opts.logger);
    return pool;
  }

  get size(): number {
    return this.shards.length;
  }

  /** Windows handed to shards and not yet answered. */
  get inflight(): number {
    return this.shards.reduce((n, s) => n + s.inflight, 0);
  }

  shardOf(stream: string): number {
    return shardOf(stream, this.shards.length);
  }

  /** Windows and records each shard has analyzed since start. */
  counts(): ShardCounts[] {
    return this.shards.map((s) => ({ shard: s.index, windows: s.windows, records: s.records }));
  }

  queued(window: Window): void {
    if (!this.opts.keepRecords) this.packed.set(window, this.pack(window));
  }

  async analyze(window: Window): Promise<AnalysisResult> {
    const shard = this.shards[this.shardOf(window.stream)];
    const { packed, transfer } = this.packed.get(window) ?? this.pack(window);
    this.packed.delete(window);
    const reply = await shard.request({ type: 'analyze', window: packed }, transfer);
    const result = (reply as { result: ShardResult }).result;
    shard.windows++;
    shard.records += window.lines;
    return { ...result, window };
  }

  /**
   * Packs a window for its shard, letting its records go unless they are kept. The array is emptied, not
   * replaced: one that reached the old generation (a window open across young collections) would go on holding
   * its records, and the text they slice, through every young collection until the next full one. Emptying it
   * took `lookout analyze`'s main thread from about 1.7 GB promoted and 7 s of scavenges per 500 MB to 70 MB and 1 s.
   */
  private pack(window: Window): ReturnType<typeof packWindow> {
    const packed = packWindow(window);
    if (!this.opts.keepRecords) window.records.length = 0;
    return packed;
  }

  /**
   * Asks every shard for its silent streams. A shard reads the clock only for
   * streams it might report, and a clock cannot cross threads: each shard gets
   * readings for the streams it asked about last time, and when it asked about
   * others (new streams, state loaded at start) it is asked once more with
   * those read too. A stream without a reading is never reported silent, so
   * the first pass reports nothing twice.
   */
  async checkSilence(clock: SilenceClock): Promise<AnalysisResult[]> {
    const replies = await Promise.all(
      this.shards.map(async (shard, i) => {
        const first = (await shard.request({ type: 'silence', readings: readClock(clock, this.asked[i]) })) as SilenceReply;
        let results = first.results;
        let asked = first.asked;
        if (first.missing.length > 0) {
          const second = (await shard.request({ type: 'silence', readings: readClock(clock, first.asked) })) as SilenceReply;
          results = [...results, ...second.results];
          asked = second.asked;
        }
        this.asked[i] = asked;
        return results;
      }),
    );
    return replies.flat().map((res) => ({ ...res, window: { ...res.window, records: [], lines: 0, closedBy: 'idle' as const } }));
  }

  /** Every shard's state as plain data (needs `state_path`, where the detector saves). */
  async snapshot(): Promise<ShardSnapshot[]> {
    const replies = await Promise.all(this.shards.map((s) => s.request({ type: 'snapshot' })));
    return replies.map((r) => (r as { snapshot: ShardSnapshot }).snapshot);
  }

  /** Has every shard save its state into its directory (when `state_path` is set); the periodic save and `close()` use it. */
  async save(reason: 'snapshot' | 'shutdown' = 'shutdown'): Promise<void> {
    if (this.opts.statePath !== undefined) await Promise.all(this.shards.map((s) => s.request({ type: 'save', reason })));
  }

  /** Saves every shard's state (when `state_path` is set), then stops the workers. */
  async close(): Promise<void> {
    try {
      await this.save();
    } finally {
      this.opts.logger.info({ shards: this.counts() }, 'analysis shards stopped');
      await Promise.all(this.shards.map((s) => s.terminate()));
    }
  }
}

function readClock(clock: SilenceClock, streams: readonly string[]): ClockReading[] {
  return streams.map((s) => [s, clock.streamNow(s), clock.openUntil(s)]);
}

/**
 * Under tsx (development, tests) the worker is TypeScript source and needs
 * tsx's loader registered in its own thread before it is imported; from the
 * build it is plain JavaScript next to this file.
 */
function startWorker(data: ShardWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here), { workerData: data, name: `lookout-shard-${data.shard}` });
  const tsxPackage = createRequire(here).resolve('tsx/package.json');
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./worker.ts', here).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: data, name: `lookout-shard-${data.shard}` });
}

/** State saved under another shard count is not read by this one: say so rather than start fresh in silence. */
function warnAboutOtherLayouts(statePath: string, shards: number, logger: Logger): void {
  if (!existsSync(statePath)) return;
  const mine = shards === 1 ? undefined : `shard-0-of-${shards}`;
  const others = readdirSync(statePath).filter((n) => /^shard-\d+-of-\d+$/.test(n) && !n.endsWith(`-of-${shards}`));
  const rootState = shards > 1 && readdirSync(statePath).some((n) => n.endsWith('.json'));
  if (others.length > 0 || rootState) {
    logger.warn(
      { state_path: statePath, shards, layout: mine ?? 'state_path', other: rootState ? [...others, '(single-shard files)'] : others },
      'saved detector state of another worker count is not loaded: streams start fresh baselines on their new shard',
    );
  }
}
