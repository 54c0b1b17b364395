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
  it('prints one CSV row per non-empty line: line number, template id, template', async () => {
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
    expect(rows[0]).toBe('line,template_id,template');
    const body = rows.slice(1).map((row) => /^(\d+),([^,]+),(.*)$/.exec(row)!);
    expect(body.map((m) => Number(m[1]))).toEqual([1, 2, 4, 5]);
    const [db1, db2, user, db3] = body;
    expect(db2[2]).toBe(db1[2]);
    expect(db3[2]).toBe(db1[2]);
    expect(user[2]).not.toBe(db1[2]);
    // Variable parts become slots, the constant words stay.
    expect(db3[3]).toMatch(/^connected to \S*<[a-z*]+>\S* in <[a-z*]+>$/);
    // RFC 4180: a field with a comma or quote is quoted, quotes doubled.
    expect(user[3]).toMatch(/^".*""home, office"".*"$/);
    expect(r.stderr).toMatch(/^5 lines, 2 templates$/m);
  });
});
