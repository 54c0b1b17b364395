import { describe, expect, it } from 'vitest';
import { shardOf } from '../../../src/topology/shards/shard_key.js';
import { CLI_TEST_TIMEOUT_MS, startCli, waitFor } from '../../cli/support.js';
import { freePort } from '../../support/ports.js';


function logLine(stderr: string, msg: string): Record<string, unknown> | undefined {
  const line = stderr.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
  return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
}

describe('lookout serve with two shards', () => {
  it(
    'drains every shard at SIGTERM: records received = records analyzed, spread over both shards',
    async () => {
      const port = await freePort();
      const cli = startCli(['serve'], {
        env: {
          LOOKOUT_LOG_LEVEL: 'info',
          LOOKOUT_ANALYSIS__WORKERS: '2',
          LOOKOUT_SOURCES__HTTP__ADDRESS: '127.0.0.1',
          LOOKOUT_SOURCES__HTTP__PORT: String(port),
          LOOKOUT_SOURCES__FORWARD__ENABLED: 'false',
          // Windows stay open until shutdown: SIGTERM alone sends them to the shards.
          LOOKOUT_WINDOWS__MAX_LINES: '10000',
        },
        timeoutMs: 50_000,
      });
      await waitFor(() => logLine(cli.stderr(), 'http source listening'), 'the http source', 40_000);
      const hosts = Array.from({ length: 16 }, (_, i) => `web-${i}`);
      const owners = new Set(hosts.map((h) => shardOf(`checkout|${h}`, 2)));
      expect(owners.size).toBe(2);
      let sent = 0;
      for (let b = 0; b < 10; b++) {
        const now = Date.now();
        const body = hosts
          .flatMap((host, h) => Array.from({ length: 25 }, (_, i) => JSON.stringify({ service: 'checkout', host, message: `GET /orders/${b}-${h}-${i} 200`, timestamp: new Date(now + i).toISOString() })))
          .join('\n');
        const res = await fetch(`http://127.0.0.1:${port}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
        expect(res.status).toBe(200);
        sent += hosts.length * 25;
      }
      cli.child.kill('SIGTERM');
      const result = await cli.done;
      expect(result.timedOut).toBe(false);
      expect(result.code).toBe(0);
      expect(logLine(result.stderr, 'shut down')).toMatchObject({ recordsReceived: sent, recordsAnalyzed: sent, drained: true });
      const shards = logLine(result.stderr, 'analysis shards stopped')?.shards as Array<{ shard: number; windows: number; records: number }>;
      expect(shards.map((s) => s.shard)).toEqual([0, 1]);
      expect(shards.every((s) => s.windows > 0)).toBe(true);
      expect(shards.reduce((n, s) => n + s.records, 0)).toBe(sent);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
