/**
 * A scripted OpenAI-compatible model server for tests: POST …/chat/completions
 * on 127.0.0.1 (OpenAI's chat completion response shape with `usage`, and its
 * error body shape), answering each request with the next behaviour from a
 * per-test script. Records every request (raw body text included) so tests can
 * check what left the process. Also serves Azure-style paths
 * (/openai/deployments/{d}/chat/completions?api-version=…).
 *
 * `refuse` makes the server reject response formats it "does not support",
 * the way OpenAI and vLLM do (400 naming response_format); refused requests
 * do not consume the script.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingMessage['headers'];
  /** The request body exactly as received. */
  body: string;
  json: ChatRequest;
}

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  max_tokens?: number;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
}

export type Behaviour =
  | { kind: 'content'; content: string | ((req: RecordedRequest) => string); usage?: { prompt_tokens: number; completion_tokens: number } | null }
  | { kind: 'status'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number; then: Behaviour };

export type ResponseFormatType = 'json_schema' | 'json_object';

/** Ready-made behaviours for the cases the issue lists. */
export const reply = {
  ok: (answer: unknown, usage?: { prompt_tokens: number; completion_tokens: number } | null): Behaviour => ({ kind: 'content', content: JSON.stringify(answer), usage }),
  fenced: (answer: unknown): Behaviour => ({ kind: 'content', content: `Here is my analysis:\n\n\`\`\`json\n${JSON.stringify(answer, null, 2)}\n\`\`\`\n` }),
  text: (content: string): Behaviour => ({ kind: 'content', content }),
  /** Answer computed from the request, e.g. quoting a line the model was shown. */
  from: (fn: (req: RecordedRequest) => unknown): Behaviour => ({ kind: 'content', content: (req) => JSON.stringify(fn(req)) }),
  invalidJson: (): Behaviour => ({ kind: 'content', content: '{"anomalies": [{"severity": "high", "type": "db_down",' }),
  schemaViolation: (): Behaviour => ({
    kind: 'content',
    content: JSON.stringify({ anomalies: [{ severity: 'urgent', type: 'db_down', summary: 'x', evidence: 'not a list', recommended_action: '' }], window_health: 'bad', total_lines_analyzed: -1 }),
  }),
  inventedEvidence: (evidence: string[]): Behaviour =>
    reply.ok({
      anomalies: [{ severity: 'critical', type: 'kernel_panic', summary: 'The kernel panicked.', evidence, recommended_action: 'Reboot the host.' }],
      window_health: 'critical',
      total_lines_analyzed: 100_000,
    }),
  status429: (retryAfterSeconds: number): Behaviour => ({
    kind: 'status',
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { error: { message: 'Rate limit reached, please retry later.', type: 'rate_limit_exceeded', param: null, code: 'rate_limit_exceeded' } },
  }),
  status500: (): Behaviour => ({ kind: 'status', status: 500, body: { error: { message: 'model runner crashed', type: 'server_error', param: null, code: null } } }),
  hang: (): Behaviour => ({ kind: 'hang' }),
  delay: (ms: number, then: Behaviour): Behaviour => ({ kind: 'delay', ms, then }),
};

export class ModelServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Behaviour[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Ids listed by GET …/models. */
  models: string[] = ['llama3.2:latest'];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly refuse: ReadonlySet<ResponseFormatType>,
    private readonly otherwise: Behaviour,
  ) {}

  /** `otherwise` answers when the script is empty; by default a 500 that says so, so a test that under-scripts fails loudly. */
  static async start(opts: { refuse?: ResponseFormatType[]; otherwise?: Behaviour } = {}): Promise<ModelServer> {
    let self: ModelServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const otherwise = opts.otherwise ?? { kind: 'status', status: 500, body: { error: { message: 'test script exhausted', type: 'server_error', param: null, code: null } } };
    self = new ModelServer(server, `http://127.0.0.1:${port}`, new Set(opts.refuse ?? []), otherwise);
    return self;
  }

  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  script(...behaviours: Behaviour[]): this {
    this.queue.push(...behaviours);
    return this;
  }

  /** Requests that reached the script (not refused for their response format). */
  get answered(): RecordedRequest[] {
    return this.requests.filter((r) => !this.refuses(r.json));
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    // GET …/models (the OpenAI model list), as Ollama and vLLM serve it: what `config check --connect` asks.
    if (req.method === 'GET' && new URL(req.url ?? '/', this.origin).pathname.endsWith('/models')) {
      return send(res, 200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })) });
    }
    if (req.method !== 'POST' || !new URL(req.url ?? '/', this.origin).pathname.endsWith('/chat/completions')) {
      return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', param: null, code: null } });
    }
    const recorded: RecordedRequest = { method: req.method, url: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) as ChatRequest };
    this.requests.push(recorded);
    if (this.refuses(recorded.json)) {
      const type = recorded.json.response_format!.type;
      return send(res, 400, {
        error: { message: `Invalid parameter: 'response_format' of type '${type}' is not supported with this model.`, type: 'invalid_request_error', param: 'response_format', code: null },
      });
    }
    this.respond(this.queue.shift() ?? this.otherwise, recorded, res);
  }

  private refuses(json: ChatRequest): boolean {
    const type = json.response_format?.type;
    return (type === 'json_schema' || type === 'json_object') && this.refuse.has(type);
  }

  private respond(b: Behaviour, req: RecordedRequest, res: ServerResponse): void {
    switch (b.kind) {
      case 'hang':
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) this.respond(b.then, req, res);
        }, b.ms);
        this.timers.add(timer);
        return;
      }
      case 'status':
        return send(res, b.status, b.body, b.headers);
      case 'content': {
        const content = typeof b.content === 'function' ? b.content(req) : b.content;
        const usage =
          b.usage === null
            ? undefined
            : (b.usage ?? { prompt_tokens: Math.ceil(req.body.length / 4), completion_tokens: Math.ceil(content.length / 4) });
        return send(res, 200, {
          id: `chatcmpl-${this.requests.length}`,
          object: 'chat.completion',
          created: 1_718_000_000,
          model: req.json.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
          ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
        });
      }
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
