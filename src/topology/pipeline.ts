/**
 * Pipeline: windows → analysis queue → emitter, without any listener.
 * `lookout serve` puts the network sources in front of it; `lookout analyze`
 * feeds it from a file. Both therefore run the very same analysis path.
 */
import type { Analyzer } from '../analysis/analyzer.js';
import type { LookoutConfig } from '../config/schema.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import { Windower } from '../windows/windower.js';
import { AnalysisQueue, type AnalysisQueueDeps, type Emitter } from './analysis_queue.js';
import type { SilenceWatcher } from './analyzer.js';

export interface PipelineDeps {
  analyzer: Analyzer;
  silence?: SilenceWatcher;
  emitter: Emitter;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
  /** Overrides `analysis.concurrency` (a file replay runs the detector one window at a time, in order). */
  concurrency?: number;
  /** Sees every analysed window's result (see AnalysisQueueDeps.onResult). */
  onResult?: AnalysisQueueDeps['onResult'];
}

export interface Pipeline {
  windower: Windower;
  queue: AnalysisQueue;
  /** Checks open windows and quiet streams against the clock. */
  tick(): void;
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
    onDone: (window) => windower!.release(window),
    onResult: deps.onResult,
  });
  windower = new Windower(config.windows, {
    now: deps.now,
    onWindow: (w) => queue.push(w),
    onBufferChange: (records, bytes) => {
      metrics.bufferRecords.set(records);
      metrics.bufferBytes.set(bytes);
    },
  });
  const w = windower;
  return {
    windower: w,
    queue,
    tick() {
      w.tick();
      if (deps.silence) {
        deps.silence.checkSilence(deps.now()).then(
          (results) => results.forEach((r) => void queue.emitResult(r)),
          (err: unknown) => deps.logger.error({ err }, 'silence check failed'),
        );
      }
    },
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
