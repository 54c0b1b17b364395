/**
 * Silence in history: `lookout analyze` replays a generated day on the
 * records' own clock and reports the stream that stopped for 30 minutes, and
 * the one that stopped before the file ends, but no stream that kept logging.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyRecord } from '../../src/sinks/record.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from './support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-cli-silence-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const START = Date.UTC(2024, 4, 1, 0, 0, 0);
const MINUTE = 60_000;

/** Six hours, one line every 5 s per service; `payments` is quiet from 03:00 to 03:30, `search` stops at 05:00. */
function replayedDay(): string[] {
  const lines: string[] = [];
  for (let t = START; t < START + 360 * MINUTE; t += 5_000) {
    const ts = new Date(t).toISOString().replace('.000Z', 'Z');
    const minute = (t - START) / MINUTE;
    if (minute < 180 || minute >= 210) lines.push(`${ts} INFO payments charge ${t % 997} accepted in ${(t / 5000) % 40}ms`);
    if (minute < 300) lines.push(`${ts} INFO search query ${t % 991} answered in ${(t / 5000) % 30}ms`);
    lines.push(`${ts} INFO gateway GET /health 200 ${(t / 5000) % 7}ms`);
  }
  return lines;
}

describe('lookout analyze: silence in history', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('reports a stream that stopped for 30 minutes in a replayed day, and one that stopped before the end', async () => {
    const file = join(dir, 'day.log');
    await writeFile(file, `${replayedDay().join('\n')}\n`);
    const r = await runCli(['analyze', file, '--output', 'ndjson'], { timeoutMs: 50_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    const records = r.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as AnomalyRecord);
    const silences = records.filter((x) => x.anomaly.type === 'silence');
    expect(silences.map((s) => s.service.name).sort()).toEqual(['payments', 'search']);
    const payments = silences.find((s) => s.service.name === 'payments')!;
    expect(payments.anomaly.summary).toMatch(/sent no logs for 30 minutes, from 2024-05-01T02:59:55\.000Z to 2024-05-01T03:30:00\.000Z/);
    const search = silences.find((s) => s.service.name === 'search')!;
    expect(search.anomaly.summary).toMatch(/has sent no logs for 60 minutes since 2024-05-01T04:59:55\.000Z/);
  });
});
