/**
 * Runs the real CLI (`node --import tsx src/cli.ts …`) as a child process from
 * the repository root, asynchronously so servers in the test process (a model
 * server) can answer it. Every run is bounded: the child is killed after
 * `timeoutMs` and the run reports `timedOut`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { AnomalyRecord } from '../../src/sinks/record.js';

/** Each test spawns Node with tsx (about a second to start), so vitest's 5 s default is too tight on a busy machine. */
export const CLI_TEST_TIMEOUT_MS = 60_000;

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  done: Promise<CliResult>;
}

export function startCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOOKOUT_LOG_LEVEL: 'silent', NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 20_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { child, stderr: () => stderr, done };
}

export function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** One of Lookout's own JSON log lines (pino). */
export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/** The JSON log lines in a process's stderr. */
export function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

/** Polls `cond` every 20 ms until it returns a value or `timeoutMs` passes (generous: a loaded CI machine starts tsx slowly); throws with `what` on timeout. */
export async function waitFor<T>(cond: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = cond();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A plain-format log: steady INFO traffic for `minutes`, with a burst of one ERROR line in minute `burstAt`, plus extra lines. */
export function plainLog(opts: { minutes: number; burstAt: number; burst: string; extra?: Array<{ at: number; line: string }> }): string[] {
  const start = Date.UTC(2024, 4, 1, 12, 0, 0);
  const lines: string[] = [];
  for (let s = 0; s < opts.minutes * 60; s++) {
    const ts = new Date(start + s * 1000).toISOString().replace('.000Z', 'Z');
    const minute = Math.floor(s / 60);
    if (minute === opts.burstAt) lines.push(`${ts} ERROR payments ${opts.burst}`);
    else lines.push(`${ts} INFO payments request ${s} handled in ${(s % 50) + 3}ms status=200`);
    for (const e of opts.extra ?? []) if (e.at === s) lines.push(`${ts} ${e.line}`);
  }
  return lines;
}

/** A whole simulated day through a child process: generous, the machine may be busy. */
export const DAY_TIMEOUT_MS = 240_000;

/** A temporary directory for the test file, made before its tests and removed after them; call the result for its path. */
export function tempDirForFile(prefix: string): () => string {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** Writes a generated scenario day as NDJSON in `dir`, runs `lookout analyze` on it and returns its anomaly records. */
export async function analyzeScenarioDay(
  day: { events: readonly object[] },
  dir: string,
  timeoutMs: number,
): Promise<{ result: CliResult; anomalies: AnomalyRecord[] }> {
  const file = join(dir, 'day.ndjson');
  await writeFile(file, `${day.events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const result = await runCli(['analyze', '--output', 'ndjson', file], { timeoutMs });
  const anomalies = result.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AnomalyRecord);
  return { result, anomalies };
}
