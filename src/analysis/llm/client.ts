/**
 * LlmClient: one chat completion against an OpenAI-compatible endpoint
 * (POST {base_url}/chat/completions, https://platform.openai.com/docs/api-reference/chat)
 * through the official `openai` SDK, or Azure OpenAI through its AzureOpenAI client.
 *
 * Structured output support differs by server and version, so the client walks a
 * ladder: `response_format: json_schema` (strict) → `json_object` → no format (the
 * JSON is then dug out of plain text). A 400/422 on a rung with a format steps
 * down; the first rung that answers is remembered for this client's endpoint, so
 * only the first window pays for the discovery. The SDK's own retries are off:
 * retries, back-off and the breaker live in resilience.ts, where they can see
 * Retry-After and count failures.
 *
 * Bounds: a response body is read through a byte cap (capped_fetch.ts), and a
 * request that hits it fails with ResponseTooLargeError, counted as outcome
 * `response_too_large`. The SDK
 * adds an abort listener to the signal it is given and never removes it, so
 * each request gets its own signal, linked to the caller's for its duration
 * only: the caller's long-lived signal does not collect a listener per request.
 */
import OpenAI, { APIError, AzureOpenAI } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { LlmConfig } from './config.js';
import { cappedFetch } from './capped_fetch.js';
import { ResponseTooLargeError } from './errors.js';
import type { LlmMetrics } from './metrics.js';
import { ANSWER_JSON_SCHEMA } from './schema.js';

export const FORMAT_LADDER = ['json_schema', 'json_object', 'text'] as const;
export type ResponseFormatRung = (typeof FORMAT_LADDER)[number];

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Completion {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** The server sent no `usage`; tokens were estimated from text length. */
  estimatedUsage: boolean;
  format: ResponseFormatRung;
}

/** Servers without `usage` still count against the budget, at the usual ~4 characters per token. */
const CHARS_PER_TOKEN = 4;

export class LlmClient {
  readonly endpoint: string;
  private readonly sdk: OpenAI;
  /** Index into FORMAT_LADDER of the last format this endpoint answered; one client per endpoint, so this is per-endpoint memory. */
  private rung = 0;

  constructor(
    private readonly cfg: LlmConfig,
    private readonly metrics: LlmMetrics,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const common = { timeout: cfg.timeout_seconds * 1000, maxRetries: 0, fetch: cappedFetch(cfg.max_response_bytes) };
    if (cfg.azure) {
      const apiKey = cfg.api_key ?? env.AZURE_OPENAI_API_KEY ?? env.OPENAI_API_KEY;
      this.sdk = new AzureOpenAI({ ...common, endpoint: cfg.azure.endpoint, deployment: cfg.azure.deployment, apiVersion: cfg.azure.api_version, apiKey });
      this.endpoint = `${cfg.azure.endpoint} (deployment ${cfg.azure.deployment})`;
    } else {
      // The SDK insists on a key; Ollama, vLLM and llama.cpp accept any, so local setups need not invent one.
      const apiKey = cfg.api_key ?? env.OPENAI_API_KEY ?? 'ollama';
      this.sdk = new OpenAI({ ...common, baseURL: cfg.base_url, apiKey });
      this.endpoint = cfg.base_url;
    }
  }

  async complete(messages: ChatMessage[], signal?: AbortSignal): Promise<Completion> {
    const own = new AbortController();
    const abort = () => own.abort(signal?.reason);
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await this.completeWith(messages, own.signal);
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  private async completeWith(messages: ChatMessage[], signal: AbortSignal): Promise<Completion> {
    // Only a success moves the remembered rung: a 400 for another reason (prompt too long) fails on every rung.
    for (let rung = this.rung; ; rung++) {
      const format = FORMAT_LADDER[rung];
      try {
        const completion = await this.request(messages, format, signal);
        this.metrics.requests.inc({ outcome: 'ok' });
        this.rung = rung;
        return completion;
      } catch (err) {
        if (format !== 'text' && refusesFormat(err)) {
          this.metrics.requests.inc({ outcome: 'format_refused' });
          continue;
        }
        this.metrics.requests.inc({ outcome: requestOutcome(err) });
        throw err;
      }
    }
  }

  private async request(messages: ChatMessage[], format: ResponseFormatRung, signal: AbortSignal): Promise<Completion> {
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: this.cfg.azure?.deployment ?? this.cfg.model,
      messages,
      temperature: this.cfg.temperature,
      max_tokens: this.cfg.max_tokens,
    };
    if (format === 'json_schema') {
      params.response_format = { type: 'json_schema', json_schema: { name: 'lookout_window_analysis', strict: true, schema: ANSWER_JSON_SCHEMA } };
    } else if (format === 'json_object') {
      params.response_format = { type: 'json_object' };
    }
    const stop = this.metrics.requestDuration.startTimer();
    try {
      const res = await this.sdk.chat.completions.create(params, { signal }).catch((err: unknown) => {
        throw tooLarge(err) ?? err;
      });
      const text = res.choices[0]?.message?.content ?? '';
      const usage = res.usage;
      const promptChars = messages.reduce((n, m) => n + m.content.length, 0);
      return {
        text,
        promptTokens: usage?.prompt_tokens ?? Math.ceil(promptChars / CHARS_PER_TOKEN),
        completionTokens: usage?.completion_tokens ?? Math.ceil(text.length / CHARS_PER_TOKEN),
        estimatedUsage: !usage,
        format,
      };
    } finally {
      stop();
    }
  }
}

/**
 * How servers say "not this response_format": OpenAI and Azure answer 400
 * `Invalid parameter: 'response_format' of type 'json_schema' is not supported
 * with this model`, vLLM 400, some proxies 422 with differing wording, older
 * llama.cpp servers 500 naming the field.
 */
function refusesFormat(err: unknown): boolean {
  if (!(err instanceof APIError) || err.status === undefined) return false;
  if (err.status === 400 || err.status === 422) return true;
  return err.status >= 500 && /response_format|json_schema|json_object/i.test(err.message);
}

/** The ResponseTooLargeError behind an SDK error, if any (the SDK may wrap what fetch or the body read threw). */
function tooLarge(err: unknown): ResponseTooLargeError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof ResponseTooLargeError) return e;
  }
  return undefined;
}

function requestOutcome(err: unknown): string {
  if (err instanceof ResponseTooLargeError) return 'response_too_large';
  if (err instanceof OpenAI.APIUserAbortError) return 'aborted';
  if (err instanceof OpenAI.APIConnectionTimeoutError) return 'timeout';
  if (err instanceof OpenAI.APIConnectionError) return 'connection_error';
  if (err instanceof APIError && err.status !== undefined) {
    if (err.status === 429) return 'rate_limited';
    return err.status >= 500 ? 'server_error' : 'client_error';
  }
  return 'error';
}
