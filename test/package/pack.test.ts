/**
 * The package as a user gets it: `npm pack` (which runs `prepare`, the build)
 * → `npm install -g` of the tarball into a temporary prefix → the installed
 * `lookout` bin runs. Dependencies come from npm's cache when it has them
 * (`--prefer-offline`), so CI needs the registry only on a cold cache.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/support.js';

const run = promisify(execFile);
/** Pack builds with tsc and install may fetch from the registry: both bounded, generously for a 2-core machine. */
const STEP_TIMEOUT_MS = 240_000;

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; license?: string; private?: boolean; bin: Record<string, string>; scripts: Record<string, string> };

let dir: string;
let files: string[];
let bin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-pack-'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, timeout: STEP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = info.files.map((f) => f.path);
  const prefix = join(dir, 'prefix');
  await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', join(dir, info.filename)], {
    cwd: dir,
    timeout: STEP_TIMEOUT_MS,
  });
  bin = join(prefix, 'bin', 'lookout');
}, 2 * STEP_TIMEOUT_MS + 10_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the npm package', { timeout: 60_000 }, () => {
  it('is public, Apache-2.0 licensed and builds itself on install from a clone', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.bin).toEqual({ lookout: 'dist/cli.js' });
    expect(readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n')).toContain('dist/');
  });

  it('packs the built bin, the licence and the examples, and no sources or tests', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/cli.js', 'examples/grafana-dashboard.json']));
    expect(files.filter((f) => /^(src|test|node_modules)\//.test(f) || f.endsWith('.map'))).toEqual([]);
  });

  it('installs into a prefix whose lookout bin prints the version and runs a command', async () => {
    expect((await stat(bin)).mode & 0o111).not.toBe(0);
    const version = await run(bin, ['--version'], { timeout: 30_000 });
    expect(version.stdout).toBe(`${pkg.version}\n`);
    const check = await run(bin, ['config', 'check'], { timeout: 30_000, env: { ...process.env, LOOKOUT_SOURCES__HTTP__PORT: '9123' } });
    expect(check.stdout).toMatch(/^ {4}port: 9123$/m);
  });

  it('analyzes a file with the installed copy (the detector shards load from dist/)', async () => {
    const start = Date.UTC(2024, 4, 1, 12);
    const lines = Array.from({ length: 300 }, (_, i) => `${new Date(start + i * 1000).toISOString()} INFO payments request ${i} handled in ${i % 40}ms`);
    const file = join(dir, 'app.log');
    await writeFile(file, `${lines.join('\n')}\n`);
    const r = await run(bin, ['analyze', file, '--output', 'ndjson'], { timeout: 60_000, env: { ...process.env, LOOKOUT_LOG_LEVEL: 'silent' } });
    expect(r.stderr).toMatch(/300 (lines|records)/);
  });

  it('runs from the clone with npx once prepare has built dist/', async () => {
    // A cache of its own: npx keeps per-command folders in npm's cache, and one half-written by an interrupted run breaks later ones.
    const env = { ...process.env, npm_config_cache: join(dir, 'npx-cache') };
    const r = await run('npx', ['--no-install', 'lookout', '--version'], { cwd: REPO_ROOT, timeout: 60_000, env });
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});
