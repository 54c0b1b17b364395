/**
 * Prometheus metrics of LLM analysis, registered on the instance's registry
 * (src/telemetry/metrics.ts) so they appear on the same /metrics page.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export function createLlmMetrics(registry: Registry) {
  const r = [registry];
  // A second LlmAnalyzer on the same registry (tests, config reload) shares the series instead of throwing.
  const reuse = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  return {
    requests: reuse('lookout_llm_requests_total', () => new Counter({ name: 'lookout_llm_requests_total', help: 'HTTP requests to the model endpoint, by outcome.', labelNames: ['outcome'] as const, registers: r })),
    requestDuration: reuse('lookout_llm_request_duration_seconds', () => new Histogram({ name: 'lookout_llm_request_duration_seconds', help: 'Duration of one HTTP request to the model endpoint.', buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120], registers: r })),
    tokens: reuse('lookout_llm_tokens_total', () => new Counter({ name: 'lookout_llm_tokens_total', help: 'Tokens reported by the model endpoint (estimated when it reports none).', labelNames: ['kind'] as const, registers: r })),
    windows: reuse('lookout_llm_windows_total', () => new Counter({ name: 'lookout_llm_windows_total', help: 'Windows seen by the LLM analyzer, by what happened to them.', labelNames: ['outcome'] as const, registers: r })),
    cacheHits: reuse('lookout_llm_cache_hits_total', () => new Counter({ name: 'lookout_llm_cache_hits_total', help: 'Windows answered from the answer cache without a request.', registers: r })),
    degraded: reuse('lookout_llm_degraded_windows_total', () => new Counter({ name: 'lookout_llm_degraded_windows_total', help: 'Windows the LLM should have read but that were analysed by the detector alone, by reason.', labelNames: ['reason'] as const, registers: r })),
    ungrounded: reuse('lookout_llm_ungrounded_total', () => new Counter({ name: 'lookout_llm_ungrounded_total', help: 'Model output not backed by the window: evidence removed, anomalies dropped or downgraded.', labelNames: ['action'] as const, registers: r })),
    invalidAnswers: reuse('lookout_llm_invalid_answers_total', () => new Counter({ name: 'lookout_llm_invalid_answers_total', help: 'Model answers that failed validation, by attempt.', labelNames: ['attempt'] as const, registers: r })),
    breakerState: reuse('lookout_llm_breaker_state', () => new Gauge({ name: 'lookout_llm_breaker_state', help: 'Circuit breaker: 0 closed, 1 half-open, 2 open.', registers: r })),
    queueDepth: reuse('lookout_llm_queue_depth', () => new Gauge({ name: 'lookout_llm_queue_depth', help: 'Windows waiting for a free LLM request slot.', registers: r })),
  };
}

export type LlmMetrics = ReturnType<typeof createLlmMetrics>;
