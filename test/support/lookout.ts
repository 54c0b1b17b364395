/**
 * Starts a real Lookout (sources on 127.0.0.1, real windows and analysis
 * queue) for topology tests, with an emitter that records what the sinks
 * would get and an analyzer wrapper that records every window it is handed.
 */
import type { Analyzer } from '../../src/analysis/analyzer.js';
import { EmbeddedAnalyzer } from '../../src/analysis/detector/analyzer.js';
import { LookoutConfigSchema } from '../../src/config/schema.js';
import type { AnomalyRecord } from '../../src/sinks/record.js';
import { createLogger } from '../../src/telemetry/log.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import type { Emitter } from '../../src/topology/analysis_queue.js';
import { startLookout, type Lookout } from '../../src/topology/index.js';
import type { Window } from '../../src/windows/window.js';

export class RecordingEmitter implements Emitter {
  readonly records: AnomalyRecord[] = [];
  closed = false;
  async emit(records: AnomalyRecord[]): Promise<void> {
    this.records.push(...records);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Wraps an analyzer, keeps every window it sees, and can be held so windows pile up in the buffer. */
export class RecordingAnalyzer implements Analyzer {
  readonly name: string;
  /** The tests read what was decoded, field by field. */
  readonly readsFields = true;
  readonly windows: Window[] = [];
  private hold: Promise<void> | undefined;
  private releaseHold: (() => void) | undefined;

  constructor(private readonly inner: Analyzer = new EmbeddedAnalyzer()) {
    this.name = inner.name;
  }

  pause(): void {
    this.hold = new Promise((resolve) => (this.releaseHold = resolve));
  }

  resume(): void {
    this.releaseHold?.();
    this.hold = undefined;
  }

  async analyze(window: Window) {
    await this.hold;
    this.windows.push(window);
    return this.inner.analyze(window);
  }

  get records() {
    return this.windows.flatMap((w) => w.records);
  }
}

export interface TestLookout {
  lookout: Lookout;
  analyzer: RecordingAnalyzer;
  emitter: RecordingEmitter;
  url: string;
}

export async function startTestLookout(overrides: Record<string, unknown> = {}, analyzer = new RecordingAnalyzer()): Promise<TestLookout> {
  const config = LookoutConfigSchema.parse({
    sources: { http: { address: '127.0.0.1', port: 0 }, forward: { address: '127.0.0.1', port: 0 } },
    sinks: [],
    shutdown: { drain_timeout_seconds: 10 },
    ...overrides,
  });
  const emitter = new RecordingEmitter();
  const lookout = await startLookout(config, { analyzer, emitter, logger: createLogger('silent'), metrics: createMetrics(), tickMs: 50 });
  return { lookout, analyzer, emitter, url: `http://127.0.0.1:${lookout.http!.port}` };
}
