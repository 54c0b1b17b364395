/**
 * `lookout serve` as a Vector or Fluent Bit operator meets it, over a real
 * process: busy ports, the drain after SIGTERM, losses at shutdown, requests
 * that can never fit, back-pressure on /readyz, `npm start` and signals, state
 * snapshots, and a hung model at shutdown. Record times are built from now.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyRecord } from '../../src/sinks/record.js';
import { ModelServer, reply } from '../support/model_server.js';
import { CLI_TEST_TIMEOUT_MS, logLines, REPO_ROOT, startCli, waitFor, type CliProcess } from './support.js';

let dir: string;
const cleanups: Array<() => unknown> = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-cli-lifecycle-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LISTEN = ['--http-port', '0', '--forward-port', '0', '--host', '127.0.0.1'];

function serve(args: string[] = LISTEN, env: Record<string, string> = {}, timeoutMs = 40_000): CliProcess {
  const cli = startCli(['serve', ...args], { env: { LOOKOUT_LOG_LEVEL: 'info', ...env }, timeoutMs });
  cleanups.push(() => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });
  return cli;
}

async function httpPort(cli: { stderr(): string }): Promise<number> {
  const line = await waitFor(() => logLines(cli.stderr()).find((l) => l.msg === 'http source listening'), '"http source listening"', 30_000);
  return line.port as number;
}

async function configFile(name: string, yaml: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, yaml);
  return path;
}

function events(n: number, message: (i: number) => string, service = 'api') {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({ service, host: 'h1', timestamp: new Date(now + i).toISOString(), message: message(i) }));
}

function post(port: number, body: unknown) {
  return fetch(`http://127.0.0.1:${port}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function busyPort(): Promise<{ port: number; server: TcpServer }> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as AddressInfo).port, server };
}

describe('lookout serve lifecycle', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it.each([
    ['http', (p: number) => ['--http-port', String(p), '--forward-port', '0', '--host', '127.0.0.1']],
    ['forward', (p: number) => ['--http-port', '0', '--forward-port', String(p), '--host', '127.0.0.1']],
  ])('a busy %s port: exit 1 at once with one line naming the port and the option', async (source, args) => {
    const { port } = await busyPort();
    const result = await serve(args(port), { LOOKOUT_LOG_LEVEL: 'silent' }).done;
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`127.0.0.1:${port}`);
    expect(lines[0]).toContain(`--${source}-port`);
    expect(lines[0]).toContain('address already in use');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('while draining, POSTs and /readyz answer 503 + Retry-After; an anomaly a sink could not deliver is an error, exit 1', async () => {
    // A sink endpoint that accepts connections and never answers.
    const hanging: HttpServer = createHttpServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      hanging.closeAllConnections();
      return new Promise((resolve) => hanging.close(resolve));
    });
    const sinkPort = (hanging.address() as AddressInfo).port;
    const config = await configFile(
      'hanging-sink.yaml',
      `sinks:\n  - type: http\n    name: siem\n    uri: http://127.0.0.1:${sinkPort}/ingest\nshutdown:\n  drain_timeout_seconds: 4\n`,
    );
    const cli = serve(['--config', config, ...LISTEN]);
    const port = await httpPort(cli);
    expect((await post(port, events(3, () => 'java.lang.OutOfMemoryError: Java heap space'))).status).toBe(200);

    cli.child.kill('SIGTERM');
    await waitFor(() => logLines(cli.stderr()).find((l) => l.msg.startsWith('shutting down')), 'shutting down');
    const refused = await post(port, events(1, () => 'late'));
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(Number(ready.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', reason: 'shutting down' });

    const result = await cli.done;
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    const logs = logLines(result.stderr);
    const lost = logs.find((l) => l.level === 50 && l.sink === 'siem');
    expect(lost, result.stderr).toMatchObject({ lost: 1 });
    expect(lost!.msg).toMatch(/siem closed with 1 undelivered anomaly record/);
    const report = logs.find((l) => l.msg.startsWith('shut down'));
    expect(report).toMatchObject({ level: 50, recordsReceived: 3, recordsAnalyzed: 3, anomaliesLost: 1, drained: false });
  });

  it('413 for a request that can never fit the buffer; 429 and a not-ready /readyz while the buffer pushes back', async () => {
    const config = await configFile('small-buffer.yaml', 'windows:\n  max_buffered_records: 100\n  max_lines: 1000\nsinks: []\n');
    const cli = serve(['--config', config, ...LISTEN]);
    const port = await httpPort(cli);
    const tooBig = await post(port, events(101, (i) => `GET /a/${i} 200`));
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ code: 413, limit: 'windows.max_buffered_records' });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    expect((await post(port, events(60, (i) => `GET /b/${i} 200`))).status).toBe(200);
    const full = await post(port, events(60, (i) => `GET /c/${i} 200`));
    expect(full.status).toBe(429);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect((await ready.json()) as { reason: string }).toMatchObject({ reason: expect.stringMatching(/buffer full/) });
    expect(Number(ready.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    cli.child.kill('SIGTERM');
    expect((await cli.done).code).toBe(0);
  });

  it('npm start forwards SIGTERM: the server drains and exits, and npm with it', async () => {
    const npm = spawn('npm', ['start', '--silent', '--', ...LISTEN], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOOKOUT_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    npm.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    npm.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => npm.on('close', (code) => resolve(code)));
    cleanups.push(() => {
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    });
    const port = await httpPort({ stderr: () => stderr });
    expect((await post(port, events(4, (i) => `GET /n/${i} 200`))).status).toBe(200);
    npm.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 20_000).unref())]);
    expect(code).toBe(0);
    expect(logLines(stderr).find((l) => l.msg === 'shut down')).toMatchObject({ recordsReceived: 4, recordsAnalyzed: 4, drained: true });
    // the server went with npm: its port no longer answers
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('snapshots state periodically (a crash keeps it), logs save and load, and sets a corrupt file aside', async () => {
    const state = join(dir, 'state');
    // One detector shard keeps its files in state_path itself, whatever the machine's core count.
    const oneShard = { LOOKOUT_ANALYSIS__WORKERS: '1' };
    const cli = serve(['--state', state, ...LISTEN], { ...oneShard, LOOKOUT_ANALYSIS__STATE_SNAPSHOT_SECONDS: '1', LOOKOUT_WINDOWS__MAX_LINES: '10' });
    const port = await httpPort(cli);
    expect(logLines(cli.stderr()).find((l) => l.msg === 'no saved detector state: starting fresh')).toBeDefined();
    expect((await post(port, events(10, (i) => `GET /s/${i} 200`))).status).toBe(200);
    await waitFor(() => logLines(cli.stderr()).find((l) => l.msg === 'detector state saved' && l.reason === 'snapshot' && (l.streams as number) >= 1), 'a snapshot');
    cli.child.kill('SIGKILL');
    await cli.done;

    const again = serve(['--state', state, ...LISTEN], oneShard);
    await httpPort(again);
    expect(logLines(again.stderr()).find((l) => l.msg === 'detector state loaded')).toMatchObject({ streams: 1 });
    again.child.kill('SIGTERM');
    expect((await again.done).code).toBe(0);

    await writeFile(join(state, 'baselines.json'), '{"truncated": ');
    const recovering = serve(['--state', state, ...LISTEN], oneShard);
    await httpPort(recovering);
    const error = logLines(recovering.stderr()).find((l) => l.level === 50);
    expect(error?.msg).toMatch(/baselines\.json is corrupt or incompatible: kept aside as .*baselines\.json\.corrupt-/);
    expect(await readFile(error!.kept_as as string, 'utf8')).toBe('{"truncated": ');
    recovering.child.kill('SIGTERM');
    expect((await recovering.done).code).toBe(0);
    const files = (await readdir(state)).sort();
    expect(files).toEqual(['baselines.json', expect.stringMatching(/^baselines\.json\.corrupt-/), 'templates.json']);
    expect(JSON.parse(await readFile(join(state, 'baselines.json'), 'utf8'))).toEqual([]);
  });

  it('a hung model at shutdown: pending calls are aborted, those windows finish on the detector (degraded), nothing is lost', async () => {
    const model = await ModelServer.start({ otherwise: reply.hang() });
    cleanups.push(() => model.close());
    const cli = serve(['--llm-base-url', model.baseUrl, '--llm-model', 'test', ...LISTEN], { LOOKOUT_WINDOWS__MAX_LINES: '10', LOOKOUT_SHUTDOWN__DRAIN_TIMEOUT_SECONDS: '30' });
    const port = await httpPort(cli);
    for (const service of ['api', 'worker', 'batch']) {
      expect((await post(port, events(10, () => 'java.lang.OutOfMemoryError: Java heap space', service))).status).toBe(200);
    }
    expect((await post(port, events(5, (i) => `GET /q/${i} 200`, 'web'))).status).toBe(200);
    await waitFor(() => (model.requests.length >= 2 ? true : undefined), 'the model to be asked');
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    // Exit 0 means the drain finished before its 30 s timeout, which windows waiting on the model would have hit.
    expect(result.code, result.stderr).toBe(0);
    expect(logLines(result.stderr).find((l) => l.msg === 'shut down')).toMatchObject({ recordsReceived: 35, recordsAnalyzed: 35, drained: true });
    const anomalies = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as AnomalyRecord)
      .filter((r) => r.anomaly.type === 'out_of_memory');
    expect(new Set(anomalies.map((r) => r.service.name))).toEqual(new Set(['api', 'worker', 'batch']));
    expect(anomalies.every((r) => r.anomaly.analysis === 'degraded')).toBe(true);
  });
});
