/**
 * Builds the configured analyzer: the embedded detector always, wrapped by the
 * LLM analyzer when `analysis.llm` is configured. `serve` and `analyze` both
 * come through here, so a file replay and a live stream are analyzed alike.
 */
import type { Analyzer, AnalysisResult } from '../analysis/analyzer.js';
import { EmbeddedAnalyzer } from '../analysis/detector/analyzer.js';
import type { SilenceClock } from '../analysis/detector/silence.js';
import { LlmAnalyzer } from '../analysis/llm/analyzer.js';
import type { LookoutConfig } from '../config/schema.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';

/** Reports streams that usually log and have gone quiet (a quiet stream closes no window to analyze). */
export interface SilenceWatcher {
  checkSilence(clock: SilenceClock): Promise<AnalysisResult[]>;
}

/** Saves learned state on demand (periodic snapshots). */
export interface StateStore {
  save(reason: 'snapshot' | 'shutdown'): Promise<void>;
}

export async function createAnalyzer(
  config: LookoutConfig,
  deps: { metrics: Metrics; logger: Logger; now: () => number },
): Promise<{ analyzer: Analyzer; silence: SilenceWatcher; state: StateStore }> {
  const embedded = new EmbeddedAnalyzer(config.analysis.detector, { statePath: config.analysis.state_path, logger: deps.logger });
  // Surface an unreadable state directory at start-up rather than on the first window.
  await embedded.load();
  const llm = config.analysis.llm;
  const analyzer = llm && llm.mode !== 'off' ? new LlmAnalyzer(embedded, llm, deps) : embedded;
  return { analyzer, silence: embedded, state: embedded };
}
