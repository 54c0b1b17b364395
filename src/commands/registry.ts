/**
 * Every `lookout` command in one table: its name, arguments, help text, the
 * flags it takes and what it runs. The CLI (../cli.ts) builds commander
 * commands from this table, so adding a flag to a command is one line here
 * (plus its FlagSpec in ./flags.ts), and `lookout <command> --help` lists
 * exactly the flags that command accepts.
 */
import type { LoadOptions } from '../config/load.js';
import type { FormatOption } from '../sources/file/formats.js';
import { CONFIG_FILE, FORMAT_FLAG, LISTEN_FLAGS, LLM_FLAGS, OUTPUT_FLAG, PATTERN_FLAGS, REPORT_FLAGS, STATE_FLAG, type FlagSpec } from './flags.js';

/** Where a command reads and writes: the process's own streams, or a test's. */
export interface CommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  /** Positional arguments, in the order `args` names them. */
  args: string[];
  /** Parsed flags, keyed by commander's attribute names (`httpPort`, `llmBaseUrl`). */
  flags: Record<string, unknown>;
  /** Configuration file, environment and flag overrides, ready for loadConfig. */
  load: LoadOptions;
  io: CommandIo;
}

export interface CommandSpec {
  /** Words after `lookout`: `serve`, `config check`. */
  name: string;
  /** commander argument syntax, e.g. `<file>`. */
  args?: string;
  /** One line for `lookout --help`. */
  summary: string;
  /** More lines for `lookout <command> --help`. */
  details?: string;
  flags: FlagSpec[];
  run(ctx: CommandContext): Promise<number>;
}

const SECONDS = /^\d+(\.\d+)?$/;
/** A price has the same shape as a number of seconds: digits with an optional fraction. */
const PRICE = SECONDS;

export const CONNECT_FLAG: FlagSpec = { flags: '--connect', description: 'also check that every sink, notification channel and the LLM endpoint answer' };
export const TIMEOUT_FLAG: FlagSpec = { flags: '--timeout <seconds>', description: 'with --connect: time allowed to each check', defaultText: '5' };

export const COMMANDS: CommandSpec[] = [
  {
    name: 'serve',
    summary: 'receive records over HTTP and Forward, analyze windows, emit anomalies',
    details: 'Runs until SIGTERM or SIGINT, then drains every open window through analysis and the sinks and exits 0 (1 if the drain timed out).',
    flags: [CONFIG_FILE, ...LISTEN_FLAGS, ...LLM_FLAGS, STATE_FLAG],
    run: async ({ load }) => (await import('./serve.js')).runServe(load),
  },
  {
    name: 'analyze',
    args: '<files...>',
    summary: 'replay log files (or - for stdin; .gz and .zst too) through the same analysis and print anomalies',
    details:
      "Windows by the records' own timestamps, so a day of history replays in seconds. Files are read in the order given (rotated files oldest first). --report also writes a self-contained HTML calibration report.",
    flags: [CONFIG_FILE, OUTPUT_FLAG, FORMAT_FLAG, ...PATTERN_FLAGS, ...REPORT_FLAGS, ...LLM_FLAGS],
    run: async ({ args, flags, load, io }) => {
      if (args.filter((f) => f === '-').length > 1) throw new UsageError('analyze reads stdin (-) at most once');
      const report = flags.report as string | undefined;
      if (report !== undefined && !/\.html?$/i.test(report)) throw new UsageError(`--report writes HTML: give a .html path, got "${report}"`);
      const price = flags.pricePerMillionTokens as string | undefined;
      if (price !== undefined && !PRICE.test(price)) throw new UsageError(`--price-per-million-tokens must be a number ≥ 0, got "${price}"`);
      const { runAnalyze } = await import('./analyze.js');
      return runAnalyze({
        inputs: args,
        output: flags.output as 'table' | 'ndjson' | undefined,
        format: flags.format as FormatOption | undefined,
        report,
        pricePerMillionTokens: price === undefined ? undefined : Number(price),
        load,
        stdout: io.stdout,
        stderr: io.stderr,
        stdin: io.stdin,
      });
    },
  },
  {
    name: 'templates',
    args: '<file>',
    summary: "print each record's template id and template as CSV (file or - for stdin); summary on stderr",
    details: 'Reads records as analyze does (format, header parsing, stack traces joined) and mines their message with the analysis.detector.miner settings, so template ids agree with analyze and serve.',
    flags: [CONFIG_FILE, FORMAT_FLAG],
    run: async ({ args, flags, load, io }) => {
      const { loadConfig } = await import('../config/load.js');
      const config = await loadConfig(load);
      const read = { format: (flags.format as FormatOption | undefined) ?? config.sources.file.format, normalize: config.normalize, batchSize: config.sources.file.batch_size };
      const { runTemplates } = await import('./templates.js');
      return runTemplates({ file: args[0], config: config.analysis.detector.miner, read, stdout: io.stdout, stderr: io.stderr, stdin: io.stdin });
    },
  },
  {
    name: 'config check',
    summary: 'validate the configuration and print it with secrets masked; --connect also tries every endpoint',
    details: 'Exit 0 when valid (and, with --connect, every endpoint answered), 1 when an endpoint failed, 2 for an invalid configuration.',
    flags: [CONFIG_FILE, ...LISTEN_FLAGS, ...LLM_FLAGS, STATE_FLAG, CONNECT_FLAG, TIMEOUT_FLAG],
    run: async ({ flags, load, io }) => {
      const timeout = (flags.timeout as string | undefined) ?? '5';
      if (!SECONDS.test(timeout) || Number(timeout) <= 0 || Number(timeout) > 300) {
        throw new UsageError(`--timeout must be a number of seconds between 0 and 300, got "${timeout}"`);
      }
      const { runConfigCheck } = await import('./config_check.js');
      return runConfigCheck(load, io.stdout, { connect: flags.connect === true, timeoutMs: Number(timeout) * 1000 });
    },
  },
];

/** A command line that cannot run as given (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
