/**
 * Usage: help, refused flags and arguments, and bad environment, through the
 * program in-process (the same code the bin runs, with captured streams),
 * plus one real `lookout` process for the bin's own exit code.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runLookout } from '../../src/commands/program.js';
import { COMMANDS } from '../../src/commands/registry.js';
import { CLI_TEST_TIMEOUT_MS, REPO_ROOT, runCli as spawnCli } from './support.js';

/** Runs the program with captured stdout/stderr and only the given environment. */
async function runCli(args: string[], opts: { env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (c: Buffer) => (stdout += c.toString()));
  const err = new PassThrough().on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await runLookout(args, { stdout: out, stderr: err, stdin: new PassThrough(), env: { ...opts.env } });
  return { code, stdout, stderr };
}

const VERSION = (JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version: string }).version;

/** The long flag names a help text lists. */
function listedFlags(help: string): string[] {
  return [...help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]).sort();
}

function expectedFlags(name: string): string[] {
  const spec = COMMANDS.find((c) => c.name === name)!;
  return [...spec.flags.map((f) => /--[\w-]+/.exec(f.flags)![0]), '--help'].sort();
}

describe('lookout usage', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('prints each command its own usage and options with --help, exit 0', async () => {
    const names = COMMANDS.map((c) => c.name);
    expect(names).toEqual(['serve', 'analyze', 'templates', 'config check']);
    const results = await Promise.all(names.map((n) => runCli([...n.split(' '), '--help'])));
    results.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Usage: lookout ${names[i]} [options]`);
      expect(listedFlags(r.stdout)).toEqual(expectedFlags(names[i]));
    });
    const [serve, analyze, templates, check] = results.map((r) => r.stdout);
    expect(serve).toContain('--http-port <n>');
    expect(serve).not.toContain('--output');
    expect(analyze).toContain('Usage: lookout analyze [options] <files...>');
    expect(analyze).toMatch(/--output <mode>[^-]*table[^-]*ndjson/);
    expect(templates).toContain('--format <format>');
    expect(templates).not.toContain('--output');
    expect(check).toContain('--connect');
  });

  it('lists the commands with the global --help and prints the package version with --version', async () => {
    const [help, version, short] = await Promise.all([runCli(['--help']), runCli(['--version']), runCli(['-v'])]);
    expect(help.code).toBe(0);
    for (const c of ['serve', 'analyze', 'templates', 'config']) expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${VERSION}\n`);
    expect(short.stdout).toBe(`${VERSION}\n`);
  });

  it.each([
    ['serve --output ndjson', ['serve', '--output', 'ndjson'], /unknown option '--output'/],
    ['templates --output ndjson', ['templates', '--output', 'ndjson', 'x.log'], /unknown option '--output'/],
    ['templates --format xml', ['templates', '--format', 'xml', 'x.log'], /'xml' is invalid/],
    ['analyze --http-port 1', ['analyze', 'x.log', '--http-port', '1'], /unknown option '--http-port'/],
    ['config check --output table', ['config', 'check', '--output', 'table'], /unknown option '--output'/],
    ['analyze --output bogus', ['analyze', 'x.log', '--output', 'bogus'], /'bogus' is invalid.*table, ndjson/],
    ['analyze --format xml', ['analyze', 'x.log', '--format', 'xml'], /'xml' is invalid/],
    ['serve --llm-mode sometimes', ['serve', '--llm-mode', 'sometimes'], /'sometimes' is invalid/],
    ['config check --timeout soon', ['config', 'check', '--timeout', 'soon'], /--timeout must be a number of seconds/],
    ['analyze without a file', ['analyze'], /missing required argument 'files'/],
    ['analyze reading stdin twice', ['analyze', '-', '-'], /analyze reads stdin \(-\) at most once/],
    ['analyze --report report.txt', ['analyze', 'x.log', '--report', 'r.txt'], /--report writes HTML: give a \.html path, got "r.txt"/],
    ['analyze --price-per-million-tokens -1', ['analyze', 'x.log', '--report', 'r.html', '--price-per-million-tokens', '-1'], /--price-per-million-tokens must be a number ≥ 0, got "-1"/],
    ['analyze --pattern without a known group', ['analyze', 'x.log', '--pattern', '(?<msg>.*)'], /sources\.file\.pattern\.regex: needs at least one named group .* \(from flag --pattern\)/],
    ['templates with two files', ['templates', 'a.log', 'b.log'], /too many arguments/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['no command', [], /Usage: lookout \[options\] \[command\]/],
    ['config without check', ['config', 'frob'], /unknown command 'frob'/],
  ])('refuses %s with exit 2 and a message on stderr', async (_name, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('refuses LOOKOUT_LOG_LEVEL=verbose in config check and serve with the same message, exit 2 and no stack trace', async () => {
    const env = { LOOKOUT_LOG_LEVEL: 'verbose' };
    // serve as a real process: the bin itself must exit 2 with the message, not crash in the logger.
    const [check, serve] = await Promise.all([runCli(['config', 'check'], { env }), spawnCli(['serve', '--http-port', '0', '--forward-port', '0', '--host', '127.0.0.1'], { env })]);
    for (const r of [check, serve]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('LOOKOUT_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('names the environment variable behind an unknown key', async () => {
    const r = await runCli(['config', 'check'], { env: { LOOKOUT_SOURCES__HTTP__PROT: '9000', LOOKOUT_WINDOWZ__MAX_LINES: '10' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sources.http.prot: unknown key (from environment variable LOOKOUT_SOURCES__HTTP__PROT)');
    expect(r.stderr).toContain('windowz: unknown key (from environment variable LOOKOUT_WINDOWZ__MAX_LINES)');
  });
});
