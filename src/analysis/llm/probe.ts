/**
 * Reachability check of the configured LLM endpoint: one `GET {base_url}/models`
 * (https://platform.openai.com/docs/api-reference/models/list) through the
 * same SDK and key as the analyzer, no retries. Ollama, vLLM, llama.cpp's
 * server, OpenAI and Azure OpenAI all serve it; it costs no tokens.
 */
import OpenAI, { AzureOpenAI } from 'openai';
import { errorText, type ProbeResult } from '../../common/probe.js';
import { cappedFetch } from './capped_fetch.js';
import type { LlmConfig } from './config.js';

export async function probeLlm(cfg: LlmConfig, timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<ProbeResult> {
  const common = { timeout: timeoutMs, maxRetries: 0, fetch: cappedFetch(cfg.max_response_bytes) };
  const sdk = cfg.azure
    ? new AzureOpenAI({ ...common, endpoint: cfg.azure.endpoint, deployment: cfg.azure.deployment, apiVersion: cfg.azure.api_version, apiKey: cfg.api_key ?? env.AZURE_OPENAI_API_KEY ?? env.OPENAI_API_KEY ?? 'unset' })
    : new OpenAI({ ...common, baseURL: cfg.base_url, apiKey: cfg.api_key ?? env.OPENAI_API_KEY ?? 'ollama' });
  const model = cfg.azure?.deployment ?? cfg.model;
  const result = { kind: 'llm', name: 'analysis.llm', target: `${cfg.azure?.endpoint ?? cfg.base_url}/models` };
  try {
    const ids: string[] = [];
    for await (const m of sdk.models.list()) ids.push(m.id);
    // Ollama lists `llama3.2:latest` for `llama3.2`.
    const listed = ids.some((id) => id === model || id.startsWith(`${model}:`));
    return { ...result, ok: true, detail: `${ids.length} models, ${model} ${listed ? 'listed' : 'NOT listed'}` };
  } catch (err) {
    if (err instanceof OpenAI.APIConnectionTimeoutError) return { ...result, ok: false, detail: `no answer within ${timeoutMs} ms` };
    if (err instanceof OpenAI.APIError && err.status !== undefined) return { ...result, ok: false, detail: `HTTP ${err.status}: ${err.message}` };
    return { ...result, ok: false, detail: errorText(err instanceof OpenAI.APIConnectionError && err.cause ? err.cause : err, timeoutMs) };
  }
}
