/**
 * AnalysisQueue: runs closed windows through the analyzer off the request
 * path, with bounded concurrency, and hands the anomalies to the emitter.
 *
 * Guarantees: every pushed window is analyzed exactly once and then released
 * (its records leave the buffer and count as analyzed) even when the analyzer
 * or the emitter throws — a failure is logged and counted, never retried in a
 * loop that could wedge ingest. The queue itself is bounded by the windower's
 * buffer bounds: windows waiting here still count as buffered.
 */
import type { Analyzer, AnalysisResult } from '../analysis/analyzer.js';
import { toAnomalyRecord, type AnomalyRecord } from '../sinks/record.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Window } from '../windows/window.js';

export interface Emitter {
  emit(records: AnomalyRecord[]): Promise<void>;
  close(timeoutMs: number): Promise<void>;
}

export interface AnalysisQueueDeps {
  analyzer: Analyzer;
  emitter: Emitter;
  metrics: Metrics;
  logger: Logger;
  concurrency: number;
  labels?: Record<string, string>;
  /** Called after a window's anomalies are emitted (or its analysis failed). */
  onDone: (window: Window, result: AnalysisResult | undefined) => void;
  now?: () => number;
}

export class AnalysisQueue {
  private readonly pending: Window[] = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: AnalysisQueueDeps) {}

  get size(): number {
    return this.pending.length + this.running;
  }

  push(window: Window): void {
    this.deps.metrics.windowsFlushed.inc({ reason: window.closedBy });
    this.deps.analyzer.queued?.(window);
    this.pending.push(window);
    this.pump();
  }

  /** Emits results that did not come from a window push (e.g. silence on a quiet stream); never rejects. */
  async emitResult(result: AnalysisResult): Promise<void> {
    try {
      await this.emit(result);
    } catch (err) {
      this.deps.logger.error({ err, stream: result.window.stream }, 'emitting anomalies failed');
    }
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.deps.concurrency && this.pending.length > 0) {
      const window = this.pending.shift()!;
      this.running++;
      void this.run(window).finally(() => {
        this.running--;
        this.pump();
        if (this.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    }
  }

  private async run(window: Window): Promise<void> {
    const { analyzer, metrics, logger } = this.deps;
    const stop = metrics.analysisDuration.startTimer({ analyzer: analyzer.name });
    let result: AnalysisResult | undefined;
    try {
      result = await analyzer.analyze(window);
      metrics.windowHealth.inc({ health: result.health });
      await this.emit(result);
    } catch (err) {
      metrics.analysisErrors.inc({ analyzer: analyzer.name });
      logger.error({ err, stream: window.stream, lines: window.lines }, 'window analysis failed');
    } finally {
      stop();
      metrics.recordsAnalyzed.inc(window.lines);
      this.deps.onDone(window, result);
    }
  }

  private async emit(result: AnalysisResult): Promise<void> {
    if (result.anomalies.length === 0) return;
    const now = (this.deps.now ?? Date.now)();
    const records = result.anomalies.map((a) => toAnomalyRecord(result, a, this.deps.labels, now));
    await this.deps.emitter.emit(records);
  }
}
