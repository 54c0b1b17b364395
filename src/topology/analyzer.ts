/**
 * Builds the configured analyzer: the embedded detector always, wrapped by the
 * LLM analyzer when `analysis.llm` is configured. `serve` and `analyze` both
 * come through here, so a file replay and a live stream are analyzed alike.
 *
 * The detector runs sharded on worker threads (./shards/pool.ts) unless
 * `analysis.workers` is 0; the LLM stays on the main thread, where its waits
 * on the network cost nothing.
 */
import { availableParallelism } from 'node:os';
import type { Analyzer, AnalysisResult } from '../analysis/analyzer.js';
import { EmbeddedAnalyzer } from '../analysis/detector/analyzer.js';
import type { SilenceClock } from '../analysis/detector/silence.js';
import type { LookoutConfig } from '../config/schema.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import { ShardPool } from './shards/pool.js';

/** Reports streams that usually log and have gone quiet (a quiet stream closes no window to analyze). */
export interface SilenceWatcher {
  checkSilence(clock: SilenceClock): Promise<AnalysisResult[]>;
}

/** Saves learned state on demand (periodic snapshots, shutdown). */
export interface StateStore {
  save(reason: 'snapshot' | 'shutdown'): Promise<void>;
}

export interface BuiltAnalyzer {
  analyzer: Analyzer;
  silence: SilenceWatcher;
  /** Detector shards on worker threads; 0 when the detector runs on the main thread. */
  workers: number;
  /** Windows worth having in flight at once: SHARD_QUEUE per shard, or `analysis.concurrency` on the main thread. */
  concurrency: number;
  state: StateStore;
}

/**
 * Windows handed to each shard ahead of its answers: enough that a shard never
 * idles while the main thread parses several large requests (about 5 ms each)
 * before it reads the shard's answers and hands over more; with 8, a busy main
 * thread left its shard idle half the time while the buffer filled to its
 * bound. Not many more: until its answer, a window's packed buffers (and, for
 * the LLM, its records) stay on the main thread. They count against the
 * window buffer bounds like any other.
 */
export const SHARD_QUEUE = 32;

/** `analysis.workers`, or one per core beyond the first (the main thread's), at least one. */
export function detectorWorkers(analysis: LookoutConfig['analysis']): number {
  return analysis.workers ?? Math.max(1, availableParallelism() - 1);
}

export async function createAnalyzer(
  config: LookoutConfig,
  deps: {
    metrics: Metrics;
    logger: Logger;
    now: () => number;
    /**
     * The calibration report wraps the analyzer: it reads each result's window view, and its what-if shadows
     * analyze each window's records again once the answer is back.
     */
    report?: boolean;
  },
): Promise<BuiltAnalyzer> {
  const workers = detectorWorkers(config.analysis);
  const llm = config.analysis.llm;
  const withLlm = llm !== undefined && llm.mode !== 'off';
  // Both read each window after the detector's answer: its records, and the view (the LLM's prompt, the report's token
  // estimate), which costs the shards a few per cent to render for no reader.
  const readsAfter = withLlm || deps.report === true;
  let embedded: Analyzer & SilenceWatcher & StateStore;
  if (workers > 0) {
    embedded = await ShardPool.start({
      shards: workers,
      detector: config.analysis.detector,
      statePath: config.analysis.state_path,
      logger: deps.logger,
      keepRecords: readsAfter,
      renderView: readsAfter,
    });
  } else {
    const local = new EmbeddedAnalyzer(config.analysis.detector, { statePath: config.analysis.state_path, logger: deps.logger, renderView: readsAfter });
    // Surface an unreadable state directory at start-up rather than on the first window.
    await local.load();
    embedded = local;
  }
  // Loaded only when configured: the OpenAI SDK is a tenth of a second of start-up that the default never uses.
  const analyzer = withLlm ? new (await import('../analysis/llm/analyzer.js')).LlmAnalyzer(embedded, llm, deps) : embedded;
  return { analyzer, silence: embedded, workers, concurrency: workers > 0 ? workers * SHARD_QUEUE : config.analysis.concurrency, state: embedded };
}
