/**
 * Pipeline: windows → analysis queue → emitter, without any listener.
 * `lookout serve` puts the network sources in front of it; `lookout analyze`
 * feeds it from a file. Both therefore run the very same analysis path.
 */
import type { AnalysisResult, Analyzer } from '../analysis/analyzer.js';
import type { LookoutConfig } from '../config/schema.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Window } from '../windows/window.js';
import { Windower } from '../windows/windower.js';
import { AnalysisQueue, type Emitter } from './analysis_queue.js';
import type { SilenceWatcher } from './analyzer.js';

export interface PipelineDeps {
  analyzer: Analyzer;
  silence?: SilenceWatcher;
  emitter: Emitter;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
  /** Told when a window's analysis ended (result undefined when it failed): the /v1/streams view. */
  onAnalyzed?: (window: Window, result: AnalysisResult | undefined) => void;
  /** Windows in flight at once, before the LLM's slots; `analysis.concurrency` by default (createAnalyzer gives it per shard). */
  concurrency?: number;
  /** The windows' clock is the records' own (a file replay); see WindowerDeps. */
  clockFromRecords?: boolean;
}

export interface Pipeline {
  windower: Windower;
  queue: AnalysisQueue;
  /** Checks open windows and quiet streams against the clock. */
  tick(): void;
  /** Reports streams that fell silent, on each stream's own axis; never rejects. */
  checkSilence(): Promise<void>;
  /** Stops admission, flushes every window and waits for analysis; false when the timeout hit first. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Closes the analyzer (saving its state) and the sinks. */
  close(timeoutMs: number): Promise<void>;
}

export function createPipeline(config: Pick<LookoutConfig, 'windows' | 'analysis' | 'labels'>, deps: PipelineDeps): Pipeline {
  const { metrics } = deps;
  let windower: Windower | undefined;
  const queue = new AnalysisQueue({
    analyzer: deps.analyzer,
    emitter: deps.emitter,
    metrics,
    logger: deps.logger,
    concurrency: (deps.concurrency ?? config.analysis.concurrency) + llmSlots(config.analysis),
    labels: config.labels,
    now: deps.now,
    onDone: (window, result) => {
      windower!.release(window);
      deps.onAnalyzed?.(window, result);
    },
  });
  const tolerance = config.windows.clock_tolerance_seconds;
  windower = new Windower(config.windows, {
    now: deps.now,
    clockFromRecords: deps.clockFromRecords,
    keepFields: deps.analyzer.readsFields === true,
    onWindow: (w) => queue.push(w),
    onBufferChange: (records, bytes) => {
      metrics.bufferRecords.set(records);
      metrics.bufferBytes.set(bytes);
    },
    clockReport: {
      onSkew: (stream, skewMs) => {
        if (skewMs === undefined) metrics.clockSkew.remove({ stream });
        else metrics.clockSkew.set({ stream }, skewMs / 1000);
      },
      onDisplaced: (stream, direction, count, { lagMs, skewMs, first }) => {
        metrics.recordsLate.inc({ direction }, count);
        if (!first) return;
        const rule =
          config.windows.time === 'event'
            ? 'placed at the start of the open window'
            : `placed ${tolerance} s ${direction === 'late' ? 'before' : 'after'} arrival (windows.clock_tolerance_seconds)`;
        deps.logger.warn(
          { stream, direction, lag_seconds: Math.round(lagMs / 1000), skew_seconds: Math.round(skewMs / 1000) },
          `${direction} records in stream ${stream}: ${rule}; logged once per stream, counted in lookout_records_late_total`,
        );
      },
    },
  });
  const w = windower;
  const checkSilence = async (): Promise<void> => {
    if (!deps.silence) return;
    try {
      const results = await deps.silence.checkSilence(w);
      await Promise.all(results.map((r) => queue.emitResult(r)));
    } catch (err) {
      deps.logger.error({ err }, 'silence check failed');
    }
  };
  return {
    windower: w,
    queue,
    tick() {
      w.tick();
      void checkSilence();
    },
    checkSilence,
    async drain(timeoutMs) {
      w.flushAll();
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        queue.idle().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!drained) deps.logger.error({ pending: queue.size, buffered: w.buffered }, 'drain timeout: some windows were not analyzed');
      return drained;
    },
    async close(timeoutMs) {
      await deps.analyzer.close?.();
      await deps.emitter.close(timeoutMs);
    },
  };
}

/**
 * Windows that may wait on the LLM at once: its own concurrency and bounded
 * queue (beyond which it answers with the detector alone). The analysis queue
 * makes room for them on top of `analysis.concurrency`, so a slow model holds
 * up only the windows it was asked about, never the detector's other windows.
 * They still count against the window buffer bounds.
 */
function llmSlots(analysis: LookoutConfig['analysis']): number {
  const llm = analysis.llm;
  return llm && llm.mode !== 'off' ? llm.concurrency + llm.queue_size : 0;
}
