/**
 * Fairness under back-pressure, over a real `lookout serve`: a slow model
 * (every window waits ~100 ms for it) keeps the window buffer full while one
 * Forward connection (acks awaited, as Fluent Bit does) and one HTTP sender
 * (honouring Retry-After, as Vector does) push batches of the same size. Freed
 * room must be shared between them, and Retry-After must reflect the expected
 * wait rather than a fixed 15 s. Bounded: each loop stops after a few seconds.
 */
import { encode } from '@msgpack/msgpack';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../sources/forward/harness.js';
import { ModelServer, reply } from '../support/model_server.js';
import { CLI_TEST_TIMEOUT_MS, logLines, startCli, waitFor, type CliProcess } from './support.js';

const BATCH = 100;
const RUN_MS = 16_000;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function listening(cli: CliProcess, msg: string): Promise<number> {
  return waitFor(() => logLines(cli.stderr()).find((l) => l.msg === msg)?.port as number | undefined, msg, 30_000);
}

function batch(sender: string, n: number) {
  const now = Date.now();
  return Array.from({ length: BATCH }, (_, i) => ({ service: sender, host: 'h', timestamp: new Date(now + i).toISOString(), message: `${sender} request ${n}-${i} done` }));
}

describe('lookout serve: fairness under back-pressure', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('shares freed room between a Forward connection and an HTTP sender, with Retry-After from the drain rate', async () => {
    const model = await ModelServer.start({
      otherwise: { kind: 'delay', ms: 100, then: reply.ok({ anomalies: [], window_health: 'healthy', total_lines_analyzed: BATCH }) },
    });
    cleanups.push(() => model.close());
    const cli = startCli(['serve', '--http-port', '0', '--forward-port', '0', '--host', '127.0.0.1', '--llm-base-url', model.baseUrl, '--llm-model', 'test', '--llm-mode', 'always'], {
      env: {
        LOOKOUT_LOG_LEVEL: 'info',
        LOOKOUT_WINDOWS__MAX_LINES: String(BATCH),
        LOOKOUT_WINDOWS__MAX_BUFFERED_RECORDS: String(4 * BATCH),
        LOOKOUT_ANALYSIS__CONCURRENCY: '1',
        LOOKOUT_ANALYSIS__LLM__CONCURRENCY: '1',
        LOOKOUT_ANALYSIS__LLM__CACHE_SIZE: '0',
        LOOKOUT_SINKS: '[]',
      },
      timeoutMs: 50_000,
    });
    cleanups.push(() => {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    });
    const httpPort = await listening(cli, 'http source listening');
    const forwardPort = await listening(cli, 'forward source listening');
    const deadline = Date.now() + RUN_MS;

    const forwardLoop = async () => {
      const client = await RawClient.open(forwardPort);
      cleanups.push(() => client.end());
      let acked = 0;
      while (Date.now() < deadline) {
        const chunk = `c${acked}`;
        const entries = batch('fwd', acked).map((r) => [Math.floor(Date.now() / 1000), r]);
        await client.write(encode(['app.fwd', entries, { chunk }]));
        await client.waitForReplies(acked + 1, 40_000);
        acked++;
      }
      return acked;
    };

    const retryAfters: number[] = [];
    const httpLoop = async () => {
      let accepted = 0;
      let body = batch('http', 0);
      while (Date.now() < deadline) {
        const res = await fetch(`http://127.0.0.1:${httpPort}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        await res.arrayBuffer();
        if (res.status === 200) {
          accepted++;
          body = batch('http', accepted);
        } else {
          expect(res.status).toBe(429);
          const wait = Number(res.headers.get('retry-after'));
          retryAfters.push(wait);
          await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        }
      }
      return accepted;
    };

    const [forward, http] = await Promise.all([forwardLoop(), httpLoop()]);
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    expect(result.code, result.stderr.slice(-2000)).toBe(0);

    // Both got through, and neither took much more than the other (before the fix: 100 vs 8 batches).
    expect(retryAfters.length, 'the buffer was full at some point').toBeGreaterThan(0);
    expect(http).toBeGreaterThanOrEqual(2);
    expect(forward).toBeGreaterThanOrEqual(2);
    expect(http / forward, `forward ${forward}, http ${http}`).toBeGreaterThan(0.5);
    expect(forward / http, `forward ${forward}, http ${http}`).toBeGreaterThan(0.5);
    // The wait is the expected one at ~1000 records/s, not a fixed 15 s.
    expect(Math.min(...retryAfters)).toBeLessThanOrEqual(3);
  });
});
