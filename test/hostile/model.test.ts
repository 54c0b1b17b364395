/**
 * Issue 9 items 5 and 9 against a real `lookout serve` process: a model
 * endpoint answering 200 MB does not take the process down (the answer is cut
 * at max_response_bytes and counted), and secrets in service and host names,
 * a PEM key logged one line per record, a bare AWS secret key and a Slack
 * webhook URL reach neither the model nor Slack.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../cli/support.js';
import { ModelServer, reply } from '../support/model_server.js';
import { startServe, type ServeProcess } from '../support/serve_process.js';

const MiB = 1024 * 1024;
const servers: Server[] = [];
let model: ModelServer | undefined;
let lookout: ServeProcess | undefined;

afterEach(async () => {
  if (lookout?.alive()) lookout.cli.child.kill('SIGKILL');
  lookout = undefined;
  await model?.close();
  model = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function sendNdjson(records: object[]): Promise<number> {
  const res = await fetch(`${lookout!.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: records.map((r) => JSON.stringify(r)).join('\n') });
  await res.arrayBuffer();
  return res.status;
}

describe('a running lookout serve and a hostile or leaky world', { timeout: 90_000 }, () => {
  it('item 5: a 200 MB model answer is cut off and counted; the process stays up and analyses the window with the detector', async () => {
    let sent = 0;
    const base = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (sent < 200 * MiB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    lookout = await startServe({
      windows: { duration_seconds: 1 },
      analysis: { llm: { base_url: `${base}/v1`, model: 'm', mode: 'always', retries: 0, timeout_seconds: 30, max_response_bytes: 256 * 1024 } },
      sinks: [],
    });
    expect(await sendNdjson([{ message: 'ERROR payment gateway timeout', service: 'payments', host: 'web-1' }])).toBe(200);
    const tooLarge = await pollMetric(lookout, 'lookout_llm_requests_total', 'outcome="response_too_large"');
    expect(tooLarge).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThan(100 * MiB);
    expect(lookout.rss()).toBeLessThan(400 * MiB);
    const result = await lookout.stop();
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(lookout.logs().find((l) => l.msg === 'shut down')).toMatchObject({ recordsReceived: 1, recordsAnalyzed: 1 });
  });

  it('item 9: names, a PEM key split over records, a bare AWS secret key and a Slack webhook URL reach neither the model nor Slack', async () => {
    model = await ModelServer.start({ otherwise: reply.ok({ anomalies: [], window_health: 'normal', total_lines_analyzed: 1 }) });
    const slackPosts: string[] = [];
    const slack = await listen((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        slackPosts.push(body);
        res.writeHead(200).end('ok');
      });
    });
    lookout = await startServe({
      windows: { duration_seconds: 1 },
      analysis: { llm: { base_url: model.baseUrl, model: 'm', mode: 'always', retries: 0 } },
      sinks: [],
      notifications: { slack: { webhook_url: `${slack}/services/hook` } },
    });
    const email = 'ops.alice@example.com';
    const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const webhook = 'https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/abcDEF123ghiJKL456mnoPQR7';
    const keyBody = 'MIIEpAIBAAKCAQEA7xq9ZqT3Yt0cQm2x8vVh1Jb5s4mQd8kRk3WZy6lG0e9Tn2aPwq';
    const service = `billing ${email}`;
    const host = 'node password=hunter22';
    const lines = [
      '-----BEGIN RSA PRIVATE KEY-----',
      keyBody,
      '-----END RSA PRIVATE KEY-----',
      `loaded credentials ${awsSecret}`,
      `alerts go to ${webhook}`,
      `x509: certificate has expired for ${email}`,
    ];
    expect(await sendNdjson(lines.map((message) => ({ message, service, host })))).toBe(200);
    await waitFor(() => (model!.requests.length > 0 && slackPosts.length > 0 ? true : undefined), 'a model request and a Slack post', 30_000);
    const leaks = [email, 'hunter22', awsSecret, 'T0AB12CD3/B0EF45GH6', keyBody];
    for (const text of [model.requests[0].body, ...slackPosts]) {
      for (const leak of leaks) expect(text).not.toContain(leak);
    }
    expect(model.requests[0].body).toContain('billing <EMAIL_1>');
    const result = await lookout.stop();
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
  });
});

async function pollMetric(p: ServeProcess, name: string, labels: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const value = await p.metric(name, labels);
    if (value > 0) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return 0;
}
