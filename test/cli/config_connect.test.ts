/**
 * `lookout config check --connect` against real local servers: a Loki, an
 * Elasticsearch, an HTTP receiver, a Forward listener, Slack and PagerDuty
 * stand-ins and the test model server that answer, then endpoints that refuse
 * connections, answer 401/503, or never answer.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLookout } from '../../src/commands/program.js';
import { ModelServer } from '../support/model_server.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Array<Server | TcpServer> = [];
let dir: string;

const sockets = new Set<Socket>();

async function listen<T extends Server | TcpServer>(server: T): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function http(handler: Handler): Promise<number> {
  return listen(createHttpServer(handler));
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function check(config: string, timeoutSeconds = 2): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, config);
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (c: Buffer) => (stdout += c.toString()));
  const err = new PassThrough().on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await runLookout(['config', 'check', '-c', file, '--connect', '--timeout', String(timeoutSeconds)], { stdout: out, stderr: err, stdin: new PassThrough(), env: {} });
  return { code, stdout, stderr };
}

/** The table's rows after its header, as [status, kind, name, target, detail]. */
function rows(stdout: string): string[][] {
  const lines = stdout.slice(stdout.indexOf('\nSTATUS ') + 1).split('\n');
  return lines.slice(1).filter((l) => /^(ok|FAILED) /.test(l)).map((l) => l.split(/ {2,}/));
}

let model: ModelServer;
const seen: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-connect-'));
  model = await ModelServer.start();
});

afterAll(async () => {
  await model.close();
  for (const socket of sockets) socket.destroy();
  for (const s of servers) {
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await rm(dir, { recursive: true, force: true });
});

describe('lookout config check --connect', { timeout: 30_000 }, () => {
  it('prints a table of every sink, channel and the LLM, and exits 0 when all answer', async () => {
    const record: Handler = (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url === '/ready') res.end('ready');
      else if (req.url === '/_cluster/health') res.setHeader('content-type', 'application/json').end('{"status":"green"}');
      else res.writeHead(405).end();
    };
    const loki = await http(record);
    const es = await http(record);
    const receiver = await http(record);
    const slack = await http((_req, res) => res.writeHead(400).end('invalid_payload'));
    const pagerduty = await http((_req, res) => res.writeHead(404).end());
    const forward = await listen(createTcpServer((socket) => socket.end()));
    const r = await check(`
sinks:
  - { type: stdout }
  - { type: loki, endpoint: "http://127.0.0.1:${loki}" }
  - { type: elasticsearch, endpoint: "http://127.0.0.1:${es}", auth: { strategy: basic, user: elastic, password: pw } }
  - { type: http, uri: "http://127.0.0.1:${receiver}/anomalies" }
  - { type: forward, host: 127.0.0.1, port: ${forward} }
  - { type: file, path: "${dir}/anomalies.ndjson" }
notifications:
  slack: { webhook_url: "http://127.0.0.1:${slack}/services/T000/B000/secretpart" }
  pagerduty: { routing_key: rk, endpoint: "http://127.0.0.1:${pagerduty}/v2/enqueue" }
analysis:
  llm: { base_url: "${model.baseUrl}", model: llama3.2 }
`);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const table = rows(r.stdout);
    expect(table.map(([status, kind, name]) => [status, kind, name])).toEqual([
      ['ok', 'sink', 'stdout'],
      ['ok', 'sink', 'loki'],
      ['ok', 'sink', 'elasticsearch'],
      ['ok', 'sink', 'http'],
      ['ok', 'sink', 'forward'],
      ['ok', 'sink', 'file'],
      ['ok', 'notification', 'notifications.slack'],
      ['ok', 'notification', 'notifications.pagerduty'],
      ['ok', 'llm', 'analysis.llm'],
    ]);
    expect(table[1][3]).toBe(`http://127.0.0.1:${loki}/ready`);
    expect(table[8][4]).toBe('1 models, llama3.2 listed');
    expect(r.stdout).toContain('all 9 endpoints answered');
    // Nothing a receiver would act on: GET/HEAD only, credentials sent, the Slack secret not printed.
    expect(seen).toEqual(expect.arrayContaining(['GET /ready ', `GET /_cluster/health Basic ${Buffer.from('elastic:pw').toString('base64')}`, 'HEAD /anomalies ']));
    expect(r.stdout).not.toContain('secretpart');
  });

  it('exits 1 and says why for endpoints that refuse, reject credentials, fail or never answer', async () => {
    const refused = await closedPort();
    const unauthorized = await http((_req, res) => res.writeHead(401).end());
    const red = await http((_req, res) => res.writeHead(503).end());
    const hanging = await listen(createTcpServer(() => undefined));
    const r = await check(
      `
sinks:
  - { type: loki, endpoint: "http://127.0.0.1:${refused}" }
  - { type: elasticsearch, endpoint: "http://127.0.0.1:${red}" }
  - { type: http, uri: "http://127.0.0.1:${unauthorized}/" }
  - { type: forward, host: 127.0.0.1, port: ${refused} }
  - { type: file, path: "${dir}/missing/dir/anomalies.ndjson" }
analysis:
  llm: { base_url: "http://127.0.0.1:${hanging}/v1", model: llama3.2 }
`,
      1,
    );
    expect(r.code).toBe(1);
    const table = rows(r.stdout);
    expect(table.map(([status, , name, , detail]) => [status, name, detail])).toEqual([
      ['FAILED', 'loki', expect.stringContaining('ECONNREFUSED')],
      ['FAILED', 'elasticsearch', 'HTTP 503'],
      ['FAILED', 'http', 'HTTP 401 (credentials refused)'],
      ['FAILED', 'forward', expect.stringContaining('ECONNREFUSED')],
      ['FAILED', 'file', expect.stringContaining('ENOENT')],
      ['FAILED', 'analysis.llm', 'no answer within 1000 ms'],
    ]);
    expect(r.stdout).toContain('6 of 6 endpoints failed');
  });

  it('checks nothing without --connect', async () => {
    const file = join(dir, 'plain.yaml');
    await writeFile(file, `sinks: [{ type: loki, endpoint: "http://127.0.0.1:${await closedPort()}" }]\n`);
    let stdout = '';
    const out = new PassThrough().on('data', (c: Buffer) => (stdout += c.toString()));
    expect(await runLookout(['config', 'check', '-c', file], { stdout: out, stderr: new PassThrough(), stdin: new PassThrough(), env: {} })).toBe(0);
    expect(stdout).not.toContain('STATUS');
  });
});
