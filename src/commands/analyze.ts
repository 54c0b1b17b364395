/**
 * `lookout analyze FILE|- …`: loads the configuration and runs the analyze
 * topology (../topology/analyze.ts) over the inputs: anomalies as a table on a
 * terminal, NDJSON records with `--output ndjson` or when stdout is piped,
 * and with `--report PATH` one self-contained HTML calibration report.
 */
import { loadConfig, type LoadOptions } from '../config/load.js';
import type { FormatOption } from '../sources/file/formats.js';
import { createLogger } from '../telemetry/log.js';
import { runAnalysis } from '../topology/analyze.js';

/** Default `--price-per-million-tokens`: a round figure in the range of small hosted models; set your own. */
export const DEFAULT_PRICE_PER_MILLION_TOKENS = 1;

export interface AnalyzeOptions {
  inputs: string[];
  output?: 'table' | 'ndjson';
  format?: FormatOption;
  report?: string;
  pricePerMillionTokens?: number;
  load: LoadOptions;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
}

export async function runAnalyze(opts: AnalyzeOptions): Promise<number> {
  // --format is one more override of sources.file, so it is validated with the pattern options it must agree with.
  const flags = [...(opts.load.flags ?? [])];
  if (opts.format !== undefined) flags.push({ flag: '--format', path: ['sources', 'file', 'format'], value: opts.format });
  const config = await loadConfig({ ...opts.load, flags });
  await runAnalysis(config, {
    inputs: opts.inputs,
    output: opts.output ?? (opts.stdout.isTTY ? 'table' : 'ndjson'),
    report: opts.report === undefined ? undefined : { path: opts.report, pricePerMillionTokens: opts.pricePerMillionTokens ?? DEFAULT_PRICE_PER_MILLION_TOKENS },
    logger: createLogger(process.env.LOOKOUT_LOG_LEVEL ?? 'warn'),
    stdout: opts.stdout,
    stderr: opts.stderr,
    stdin: opts.stdin,
  });
  return 0;
}
