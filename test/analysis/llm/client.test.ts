import { afterEach, describe, expect, it } from 'vitest';
import { LlmClient } from '../../../src/analysis/llm/client.js';
import { LlmConfigSchema } from '../../../src/analysis/llm/config.js';
import { createLlmMetrics } from '../../../src/analysis/llm/metrics.js';
import { ModelServer, reply } from '../../support/model_server.js';
import { configFor, metricValue, quietAnswer, telemetry } from './helpers.js';

const messages = [
  { role: 'system' as const, content: 'You are a test.' },
  { role: 'user' as const, content: 'Analyse this.' },
];

let server: ModelServer;
afterEach(async () => server?.close());

function clientFor(cfg = configFor(server), env: NodeJS.ProcessEnv = {}) {
  const t = telemetry();
  return { client: new LlmClient(cfg, createLlmMetrics(t.metrics.registry), env), metrics: t.metrics };
}

describe('LlmClient over HTTP with the openai SDK', () => {
  it('asks for strict json_schema first, with the configured model and a low temperature', async () => {
    server = await ModelServer.start();
    server.script(reply.ok(quietAnswer, { prompt_tokens: 120, completion_tokens: 30 }));
    const { client } = clientFor();
    const c = await client.complete(messages);
    expect(c).toMatchObject({ format: 'json_schema', promptTokens: 120, completionTokens: 30, estimatedUsage: false });
    expect(JSON.parse(c.text)).toEqual(quietAnswer);
    const req = server.requests[0].json;
    expect(req.model).toBe('test-model');
    expect(req.temperature).toBe(0.1);
    expect(req.response_format?.type).toBe('json_schema');
    expect(req.response_format?.json_schema?.strict).toBe(true);
  });

  it('strict schema refused → json_object used, and remembered for the endpoint', async () => {
    server = await ModelServer.start({ refuse: ['json_schema'] });
    server.script(reply.ok(quietAnswer), reply.ok(quietAnswer));
    const { client, metrics } = clientFor();
    expect((await client.complete(messages)).format).toBe('json_object');
    expect(server.requests.map((r) => r.json.response_format?.type)).toEqual(['json_schema', 'json_object']);
    expect((await client.complete(messages)).format).toBe('json_object');
    expect(server.requests.map((r) => r.json.response_format?.type)).toEqual(['json_schema', 'json_object', 'json_object']);
    expect(await metricValue(metrics, 'lookout_llm_requests_total{outcome="format_refused"}')).toBe(1);
  });

  it('falls back to plain text when both formats are refused', async () => {
    server = await ModelServer.start({ refuse: ['json_schema', 'json_object'] });
    server.script(reply.fenced(quietAnswer));
    const { client } = clientFor();
    const c = await client.complete(messages);
    expect(c.format).toBe('text');
    expect(server.requests.at(-1)!.json.response_format).toBeUndefined();
    expect(c.text).toContain('```json');
  });

  it('does not remember a lower rung when the request fails for another reason', async () => {
    server = await ModelServer.start();
    const tooLong = { kind: 'status' as const, status: 400, body: { error: { message: 'context length exceeded', type: 'invalid_request_error', param: null, code: null } } };
    server.script(tooLong, tooLong, tooLong, reply.ok(quietAnswer));
    const { client } = clientFor();
    await expect(client.complete(messages)).rejects.toThrow(/context length/);
    expect(server.requests).toHaveLength(3);
    expect((await client.complete(messages)).format).toBe('json_schema');
  });

  it('estimates usage when the server reports none', async () => {
    server = await ModelServer.start();
    server.script(reply.ok(quietAnswer, null));
    const { client } = clientFor();
    const c = await client.complete(messages);
    expect(c.estimatedUsage).toBe(true);
    expect(c.promptTokens).toBeGreaterThan(0);
  });

  it('sends the configured key, else OPENAI_API_KEY, else a placeholder local servers accept', async () => {
    server = await ModelServer.start({ otherwise: reply.ok(quietAnswer) });
    await clientFor(configFor(server, { api_key: 'cfg-key' }), { OPENAI_API_KEY: 'env-key' }).client.complete(messages);
    await clientFor(configFor(server), { OPENAI_API_KEY: 'env-key' }).client.complete(messages);
    await clientFor(configFor(server), {}).client.complete(messages);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer cfg-key', 'Bearer env-key', 'Bearer ollama']);
  });

  it('talks to Azure OpenAI: deployment path, api-version and api-key header', async () => {
    server = await ModelServer.start({ otherwise: reply.ok(quietAnswer) });
    const cfg = LlmConfigSchema.parse({ azure: { endpoint: server.origin, deployment: 'gpt-4o-mini-prod', api_version: '2024-10-21' }, api_key: 'azure-key', retries: 0 });
    await clientFor(cfg).client.complete(messages);
    const req = server.requests[0];
    expect(req.url).toBe('/openai/deployments/gpt-4o-mini-prod/chat/completions?api-version=2024-10-21');
    expect(req.headers['api-key']).toBe('azure-key');
  });
});
