import { describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, logLines, startCli, waitFor } from './support.js';

/** A Vector `http` sink body with `codec: json` and `framing.method: newline_delimited`: NDJSON without a trailing newline. */
function vectorNdjson(events: object[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n');
}

function vectorEvent(i: number, message: string): object {
  // Vector picks 0, 3, 6 or 9 fraction digits per value.
  const fractions = ['', '.123', '.123456', '.123456789'];
  return {
    message,
    timestamp: `2024-05-01T12:00:0${i}${fractions[i % 4]}Z`,
    host: 'web-1',
    service: 'checkout',
    source_type: 'file',
    file: '/var/log/checkout/app.log',
  };
}

describe('lookout serve', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('listens on the ports it logs, accepts Vector NDJSON, and on SIGTERM drains every record and exits 0', async () => {
    const cli = startCli(['serve', '--http-port', '0', '--forward-port', '0', '--host', '127.0.0.1'], { env: { LOOKOUT_LOG_LEVEL: 'info' }, timeoutMs: 50_000 });
    try {
      const listening = await waitFor(() => logLines(cli.stderr()).find((l) => l.msg === 'http source listening'), '"http source listening" on stderr');
      expect(listening.address).toBe('127.0.0.1');
      const port = listening.port as number;
      expect(port).toBeGreaterThan(0);

      const batches = [
        [vectorEvent(0, 'GET /cart 200 12ms'), vectorEvent(1, 'GET /cart 200 9ms'), vectorEvent(2, 'POST /checkout 500 upstream timeout')],
        [vectorEvent(3, 'GET /cart 200 11ms'), vectorEvent(4, 'GET /health 200 1ms')],
      ];
      for (const batch of batches) {
        const res = await fetch(`http://127.0.0.1:${port}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', 'user-agent': 'Vector/0.47.0 (x86_64-unknown-linux-gnu)' },
          body: vectorNdjson(batch),
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ accepted: batch.length });
      }

      cli.child.kill('SIGTERM');
      const result = await cli.done;
      expect(result.timedOut).toBe(false);
      expect(result.signal).toBeNull();
      expect(result.code, result.stderr).toBe(0);
      const logs = logLines(result.stderr);
      expect(logs.some((l) => l.msg === 'signal received' && l.signal === 'SIGTERM')).toBe(true);
      const shutDown = logs.filter((l) => l.msg === 'shut down');
      expect(shutDown).toHaveLength(1);
      expect(shutDown[0]).toMatchObject({ recordsReceived: 5, recordsAnalyzed: 5, drained: true });
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    }
  });
});
