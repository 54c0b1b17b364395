/**
 * LLM analysis options (the `llm` block of the config). Any OpenAI-compatible
 * chat completions endpoint works by base URL: Ollama, vLLM, llama.cpp's
 * server, OpenAI; Azure OpenAI through its own `azure` block (the SDK's
 * AzureOpenAI client, which adds the deployment path, `api-version` and the
 * `api-key` header Azure expects).
 */
import { z } from 'zod';
import { SeveritySchema } from '../anomaly.js';
import { RedactionConfigSchema } from '../redaction/config.js';

export const LLM_MODES = ['off', 'gated', 'always'] as const;

export const AzureConfigSchema = z
  .object({
    /** e.g. https://my-resource.openai.azure.com */
    endpoint: z.url(),
    deployment: z.string().min(1),
    api_version: z.string().min(1).default('2024-10-21'),
  })
  .strict();

export const BreakerConfigSchema = z
  .object({
    /** Consecutive failed requests that open the breaker. */
    failures: z.number().int().min(1).default(5),
    /** How long it stays open before one probe request may try again. */
    cooldown_seconds: z.number().positive().default(60),
  })
  .strict();

export const LlmConfigSchema = z
  .object({
    mode: z.enum(LLM_MODES).default('gated'),
    base_url: z.url().default('http://localhost:11434/v1'),
    model: z.string().min(1).default('llama3.2'),
    /** Falls back to OPENAI_API_KEY (AZURE_OPENAI_API_KEY for Azure); local servers need none. */
    api_key: z.string().min(1).optional(),
    azure: AzureConfigSchema.optional(),
    timeout_seconds: z.number().positive().default(60),
    /**
     * Low so the same window gets the same answer and evidence is quoted
     * verbatim rather than paraphrased; not 0, which some small models answer
     * with repetition loops under greedy decoding.
     */
    temperature: z.number().min(0).max(2).default(0.1),
    max_tokens: z.number().int().positive().default(1024),
    /** Bytes of one HTTP response read from the model endpoint; a larger answer is aborted while it arrives and counted. */
    max_response_bytes: z.number().int().min(1024).default(1024 * 1024),
    concurrency: z.number().int().min(1).default(2),
    /** Windows waiting for a free slot; past this they are analysed by the detector alone. */
    queue_size: z.number().int().min(0).default(100),
    /** Retries of one request on 429, 5xx, timeouts and connection errors. */
    retries: z.number().int().min(0).default(3),
    backoff_base_ms: z.number().int().positive().default(500),
    /** Longest wait between attempts; a Retry-After longer than this ends the retries instead. */
    backoff_max_ms: z.number().int().positive().default(30_000),
    breaker: BreakerConfigSchema.prefault({}),
    /** Prompt + completion tokens per rolling hour; 0 = unlimited. Past it only the detector runs. */
    hourly_token_budget: z.number().int().min(0).default(0),
    /** Answers remembered by window content; 0 turns the cache off. */
    cache_size: z.number().int().min(0).default(500),
    /** Most anomalies taken from one answer; more is a sign of a confused or manipulated model. */
    max_anomalies: z.number().int().min(1).max(50).default(10),
    /** Highest severity an anomaly only the model saw may carry; `critical` needs the detector to agree. */
    llm_only_max_severity: SeveritySchema.default('high'),
    /** Per service: what normal looks like, in the user's words; goes into the prompt. */
    services: z.record(z.string(), z.string().max(4000)).default({}),
    redaction: RedactionConfigSchema.prefault({}),
  })
  .strict()
  .refine((c) => c.backoff_base_ms <= c.backoff_max_ms, { message: 'backoff_base_ms must not exceed backoff_max_ms', path: ['backoff_base_ms'] });
export type LlmConfig = z.infer<typeof LlmConfigSchema>;
export type LlmConfigInput = z.input<typeof LlmConfigSchema>;
