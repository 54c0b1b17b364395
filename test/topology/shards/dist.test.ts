/**
 * The shards from the build: compiles src/ with the project's tsconfig into a
 * scratch directory inside node_modules/.cache (so the compiled files resolve
 * the repository's packages and ESM type, like dist/) and runs `analyze` there
 * on two shard workers: the workers must load as JavaScript, without tsx.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cli/support.js';

const run = promisify(execFile);
let scratch: string | undefined;
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('shard workers from the build', () => {
  it('analyze a file on two shards from compiled JavaScript', { timeout: 300_000 }, async () => {
    const cache = join(REPO_ROOT, 'node_modules', '.cache');
    await mkdir(cache, { recursive: true });
    scratch = await mkdtemp(join(cache, 'lookout-dist-'));
    const out = join(scratch, 'dist');
    await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(REPO_ROOT, 'tsconfig.json'), '--outDir', out], { timeout: 240_000 });
    // The CLI reads its version from the package.json beside its dist/.
    await copyFile(join(REPO_ROOT, 'package.json'), join(scratch, 'package.json'));
    const log = join(scratch, 'app.log');
    const start = Date.UTC(2024, 4, 1, 12);
    const lines = Array.from({ length: 2000 }, (_, i) => `${new Date(start + i * 1000).toISOString()} INFO svc${i % 6} request ${i} handled in ${i % 40} ms`);
    await writeFile(log, `${lines.join('\n')}\n`);
    const r = await run(process.execPath, [join(out, 'cli.js'), 'analyze', log, '--output', 'ndjson'], {
      cwd: REPO_ROOT,
      timeout: 60_000,
      env: { ...process.env, LOOKOUT_ANALYSIS__WORKERS: '2', LOOKOUT_LOG_LEVEL: 'info', NODE_OPTIONS: '' },
    });
    const stopped = r.stderr.split('\n').find((l) => l.includes('"analysis shards stopped"'));
    const shards = (JSON.parse(stopped!) as { shards: Array<{ shard: number; records: number }> }).shards;
    expect(shards.map((s) => s.shard)).toEqual([0, 1]);
    expect(shards.every((s) => s.records > 0)).toBe(true);
    expect(shards.reduce((n, s) => n + s.records, 0)).toBe(2000);
  });
});
