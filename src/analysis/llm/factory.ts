/**
 * The one way `lookout serve` and `lookout analyze` get their analyzer: the
 * inner (embedded) analyzer, wrapped by the LLM analyzer unless `mode: off`.
 * CLI flags (--llm-base-url, --llm-model, --llm-api-key, --llm-mode) map onto
 * the same config keys before this is called, so both commands share one path.
 */
import type { Analyzer } from '../analyzer.js';
import { LlmAnalyzer, type LlmAnalyzerDeps } from './analyzer.js';
import { LlmConfigSchema, type LlmConfigInput } from './config.js';

export function createLlmAnalyzer(inner: Analyzer, cfg: LlmConfigInput, deps: LlmAnalyzerDeps): Analyzer {
  const parsed = LlmConfigSchema.parse(cfg);
  return parsed.mode === 'off' ? inner : new LlmAnalyzer(inner, parsed, deps);
}
