/** Shared setup for the LLM tests: config against a ModelServer, and a metrics/logger pair. */
import { LlmConfigSchema, type LlmConfig, type LlmConfigInput } from '../../../src/analysis/llm/config.js';
import { createLogger } from '../../../src/telemetry/log.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import type { ModelServer } from '../../support/model_server.js';

export function configFor(server: ModelServer, over: LlmConfigInput = {}): LlmConfig {
  return LlmConfigSchema.parse({ base_url: server.baseUrl, model: 'test-model', timeout_seconds: 5, retries: 0, backoff_base_ms: 1, backoff_max_ms: 5000, ...over });
}

export function telemetry() {
  return { metrics: createMetrics(), logger: createLogger('silent') };
}

/** The value of one series in the registry's exposition text. */
export async function metricValue(metrics: ReturnType<typeof createMetrics>, series: string): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

export const quietAnswer = { anomalies: [], window_health: 'normal', total_lines_analyzed: 0 };
