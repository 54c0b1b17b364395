#!/usr/bin/env node
/**
 * lookout: the command line. Thin on purpose: it parses arguments, calls one
 * command, and maps errors to messages and exit codes (0 ok, 1 runtime
 * failure, 2 usage or configuration error).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runAnalyze } from './commands/analyze.js';
import { runConfigCheck } from './commands/config_check.js';
import { CONFIG_FLAGS, flagOverrides, type ConfigFlagValues } from './commands/flags.js';
import { runServe } from './commands/serve.js';
import { runTemplates } from './commands/templates.js';
import { DetectorStateError } from './analysis/detector/errors.js';
import { ConfigError } from './config/errors.js';
import { loadConfig } from './config/load.js';
import { FileSourceError } from './sources/file/errors.js';
import { FORMAT_OPTIONS, type FormatOption } from './sources/file/formats.js';
import { ListenError } from './topology/errors.js';

const USAGE = `Usage: lookout <command> [options]

Commands:
  serve                     receive records over HTTP and Forward, analyze windows, emit anomalies
  analyze FILE|-            replay a log file (or stdin) through the same analysis and print anomalies
  templates FILE|-          print each line's template id and template as CSV; summary on stderr
  config check              validate the configuration and print it with secrets masked

Options:
  -c, --config FILE         YAML configuration file
  --host ADDR               bind address of the HTTP and Forward sources
  --http-port N             HTTP source port (default 8080)
  --forward-port N          Forward source port (default 24224)
  --llm-base-url URL        enable the LLM at this OpenAI-compatible endpoint
  --llm-model NAME          LLM model (default llama3.2)
  --llm-mode MODE           off | gated | always
  --state DIR               save/load learned templates and baselines in DIR
  --output table|ndjson     analyze: output (default: table on a terminal, ndjson when piped)
  --format FORMAT           analyze: ${FORMAT_OPTIONS.join(' | ')} (default auto)
  -h, --help                this help
  -v, --version             print the version
`;

class UsageError extends Error {}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...CONFIG_FLAGS,
        output: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const load = { file: values.config, env: process.env, flags: flagOverrides(values as ConfigFlagValues) };
  const format = values.format;
  if (format !== undefined && !(FORMAT_OPTIONS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMAT_OPTIONS.join(', ')}, got "${format}"`);
  }
  switch (command) {
    case 'serve':
      return runServe(load);
    case 'analyze': {
      if (rest.length !== 1) throw new UsageError('analyze takes exactly one FILE (or - for stdin)');
      const output = values.output;
      if (output !== undefined && output !== 'table' && output !== 'ndjson') throw new UsageError(`--output must be table or ndjson, got "${output}"`);
      return runAnalyze({
        input: rest[0],
        output,
        format: format as FormatOption | undefined,
        load,
        stdout: process.stdout,
        stderr: process.stderr,
        stdin: process.stdin,
      });
    }
    case 'templates':
      if (rest.length !== 1) throw new UsageError('templates takes exactly one FILE (or - for stdin)');
      // The same miner settings as the detector's, so the CSV shows the templates `serve` would learn.
      return runTemplates({ file: rest[0], config: (await loadConfig(load)).analysis.detector.miner, stdout: process.stdout, stderr: process.stderr });
    case 'config':
      if (rest[0] !== 'check' || rest.length !== 1) throw new UsageError('did you mean "lookout config check"?');
      return runConfigCheck(load, process.stdout);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

// `lookout analyze … | head` closes stdout early; that is the reader's choice, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`lookout: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof ConfigError || err instanceof FileSourceError) {
      process.stderr.write(`lookout: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof ListenError || err instanceof DetectorStateError) {
      // The operator's to fix, not a bug: one line. Exit now, so nothing started alongside keeps the process alive.
      process.stderr.write(`lookout: ${err.message}\n`);
      process.exit(1);
    } else {
      process.stderr.write(`lookout: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
