/**
 * The endpoints a configuration depends on (pipeline sinks, notification
 * channels, the LLM) and whether each answers. `lookout config check --connect`
 * prints them; `lookout serve` checks them at start-up and then every
 * DEPENDENCY_CHECK_INTERVAL_MS, logs a warning for each one that does not
 * answer (records still flow: sinks queue and retry, analysis falls back to
 * the detector), and reports them as degraded in /readyz.
 */
import { probeLlm } from '../analysis/llm/probe.js';
import type { ProbeResult } from '../common/probe.js';
import type { LookoutConfig } from '../config/schema.js';
import { probeSinks } from '../sinks/probe.js';
import type { Logger } from '../telemetry/log.js';

export const DEPENDENCY_CHECK_INTERVAL_MS = 60_000;
export const DEPENDENCY_CHECK_TIMEOUT_MS = 5_000;

/** Which kinds of endpoint to check; both by default. */
export interface ProbeScope {
  sinks?: boolean;
  llm?: boolean;
}

export async function probeDependencies(config: Pick<LookoutConfig, 'sinks' | 'notifications' | 'analysis'>, timeoutMs: number, scope: ProbeScope = {}): Promise<ProbeResult[]> {
  const llm = config.analysis.llm;
  const [sinks, model] = await Promise.all([
    scope.sinks === false ? [] : probeSinks(config, timeoutMs),
    scope.llm !== false && llm && llm.mode !== 'off' ? probeLlm(llm, timeoutMs) : undefined,
  ]);
  return model ? [...sinks, model] : sinks;
}

export interface DependencyWatch {
  /** Those that did not answer at the last check (none before the first check ends). */
  degraded(): ProbeResult[];
  stop(): void;
}

/** Checks now and on an interval; logs a warning when a dependency stops answering and info when it is back. */
export function watchDependencies(
  config: Pick<LookoutConfig, 'sinks' | 'notifications' | 'analysis'>,
  logger: Logger,
  scope: ProbeScope = {},
  intervalMs = DEPENDENCY_CHECK_INTERVAL_MS,
): DependencyWatch {
  let last: ProbeResult[] = [];
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const results = await probeDependencies(config, DEPENDENCY_CHECK_TIMEOUT_MS, scope);
      for (const r of results) {
        const before = last.find((p) => p.kind === r.kind && p.name === r.name);
        if (!r.ok && (before?.ok ?? true)) logger.warn({ dependency: r }, `${r.kind} ${r.name} does not answer: ${r.detail}`);
        if (r.ok && before && !before.ok) logger.info({ dependency: r }, `${r.kind} ${r.name} answers again`);
      }
      last = results;
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return { degraded: () => last.filter((r) => !r.ok), stop: () => clearInterval(timer) };
}
