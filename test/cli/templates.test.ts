import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli } from './support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-cli-templates-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lookout templates', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('prints one CSV row per record: record number, template id, template', async () => {
    const lines = [
      'connected to db-1 in 12ms',
      'connected to db-2 in 40ms',
      '',
      'user alice logged in from "home, office"',
      'connected to db-3 in 7ms',
    ];
    const file = join(dir, 'app.log');
    await writeFile(file, `${lines.join('\n')}\n`);
    const r = await runCli(['templates', file]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('record,template_id,template');
    const body = rows.slice(1).map((row) => /^(\d+),([^,]+),(.*)$/.exec(row)!);
    expect(body.map((m) => Number(m[1]))).toEqual([1, 2, 3, 4]);
    const [db1, db2, user, db3] = body;
    expect(db2[2]).toBe(db1[2]);
    expect(db3[2]).toBe(db1[2]);
    expect(user[2]).not.toBe(db1[2]);
    // Variable parts become slots, the constant words stay.
    expect(db3[3]).toMatch(/^connected to \S*<[a-z*]+>\S* in <[a-z*]+>$/);
    // RFC 4180: a field with a comma or quote is quoted, quotes doubled.
    expect(user[3]).toMatch(/^".*""home, office"".*"$/);
    expect(r.stderr).toMatch(/^4 records, 2 templates$/m);
  });

  it('mines the message after the line header, so its ids are the ones analyze reports', async () => {
    const start = Date.now() - 3_600_000;
    const at = (i: number) => new Date(start + i * 1000).toISOString();
    const lines = Array.from({ length: 40 }, (_, i) => `${at(i)} INFO payments charge ${1000 + i} settled in ${10 + (i % 7)}ms`);
    lines.push(`${at(41)} CRITICAL payments worker 7 killed: out of memory (rss 2048 MB)`);
    const file = join(dir, 'headers.log');
    await writeFile(file, `${lines.join('\n')}\n`);
    const t = await runCli(['templates', file]);
    expect(t.code, t.stderr).toBe(0);
    const rows = t.stdout.trimEnd().split('\n').slice(1).map((row) => /^(\d+),([^,]+),(.*)$/.exec(row)!);
    // The timestamp, level and service are the header, not part of the template.
    expect(rows[0][3]).toBe('charge <num> settled in <dur>');
    const a = await runCli(['analyze', '--output', 'ndjson', file]);
    expect(a.code, a.stderr).toBe(0);
    const oom = a.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((r) => r.anomaly.type === 'out_of_memory');
    expect(oom.anomaly.templates[0]).toBe(rows[40][2]);
  });
});
