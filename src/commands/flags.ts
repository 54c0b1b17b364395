/**
 * Command-line flags, declared once as data: the CLI (commander,
 * https://github.com/tj/commander.js) builds each command's options and
 * `--help` from these, and `flagOverrides` turns the flags that set a
 * configuration key into overrides that `loadConfig` applies after the file
 * and the environment (so a bad value names the flag it came from).
 *
 * A command takes only the flags it lists (see ./registry.ts); any other flag
 * is a usage error (exit 2).
 */
import { Option } from 'commander';
import type { FlagOverride } from '../config/load.js';
import { FORMAT_OPTIONS } from '../sources/file/formats.js';

export interface FlagSpec {
  /** commander syntax: `--http-port <n>`, `-c, --config <file>`, `--connect`. */
  flags: string;
  description: string;
  /** Allowed values: listed in `--help` and enforced before anything runs. */
  choices?: readonly string[];
  /** Shown as "(default: …)" in `--help`. */
  defaultText?: string;
  /** Configuration keys this flag sets, as paths. */
  sets?: string[][];
  /** Turns the flag's text into the configuration value (numbers for ports). */
  convert?: (value: string) => unknown;
}

/** Digits become a number so the schema can check the range; anything else is left for the schema to refuse. */
function asNumber(v: string): number | string {
  return /^\d+$/.test(v) ? Number(v) : v;
}

export const CONFIG_FILE: FlagSpec = { flags: '-c, --config <file>', description: 'YAML configuration file' };

export const LISTEN_FLAGS: FlagSpec[] = [
  { flags: '--host <addr>', description: 'listen address of the HTTP and Forward sources', defaultText: '0.0.0.0', sets: [['sources', 'http', 'address'], ['sources', 'forward', 'address']] },
  { flags: '--http-port <n>', description: 'HTTP source port (0 picks a free one)', defaultText: '8080', sets: [['sources', 'http', 'port']], convert: asNumber },
  { flags: '--forward-port <n>', description: 'Forward source port (0 picks a free one)', defaultText: '24224', sets: [['sources', 'forward', 'port']], convert: asNumber },
];

export const LLM_FLAGS: FlagSpec[] = [
  { flags: '--llm-base-url <url>', description: 'add an LLM at this OpenAI-compatible endpoint', sets: [['analysis', 'llm', 'base_url']] },
  { flags: '--llm-model <name>', description: 'LLM model', defaultText: 'llama3.2', sets: [['analysis', 'llm', 'model']] },
  { flags: '--llm-mode <mode>', description: 'which windows the LLM reads', choices: ['off', 'gated', 'always'], defaultText: 'gated', sets: [['analysis', 'llm', 'mode']] },
];

export const STATE_FLAG: FlagSpec = { flags: '--state <dir>', description: 'save and load learned templates and baselines in this directory', sets: [['analysis', 'state_path']] };

export const OUTPUT_FLAG: FlagSpec = { flags: '--output <mode>', description: 'anomaly output', choices: ['table', 'ndjson'], defaultText: 'table on a terminal, ndjson when piped' };

export const FORMAT_FLAG: FlagSpec = { flags: '--format <format>', description: 'input line format', choices: FORMAT_OPTIONS, defaultText: 'sources.file.format, auto' };

export const PATTERN_FLAGS: FlagSpec[] = [
  {
    flags: '--pattern <regex>',
    description: 'your own line format: a regex with named groups timestamp, level, service, host, message',
    sets: [['sources', 'file', 'pattern', 'regex']],
  },
  {
    flags: '--timestamp-format <layout>',
    description: "strptime layout of the pattern's timestamp group, e.g. '%d/%b/%Y:%H:%M:%S %z'",
    defaultText: 'ISO 8601 or epoch',
    sets: [['sources', 'file', 'pattern', 'timestamp_format']],
  },
];

export const REPORT_FLAGS: FlagSpec[] = [
  { flags: '--report <file.html>', description: 'also write a self-contained HTML calibration report' },
  { flags: '--price-per-million-tokens <n>', description: "LLM price per million tokens for the report's cost estimate", defaultText: '1' },
];

export function toOption(spec: FlagSpec): Option {
  // The default is only described: the configuration schema applies it, so a flag left out never overrides the file.
  const option = new Option(spec.flags, spec.defaultText ? `${spec.description} (default: ${spec.defaultText})` : spec.description);
  if (spec.choices) option.choices(spec.choices);
  return option;
}

/** The configuration overrides among the flags given: `values` is commander's parsed options (camelCase keys). */
export function flagOverrides(specs: readonly FlagSpec[], values: Record<string, unknown>): FlagOverride[] {
  const out: FlagOverride[] = [];
  for (const spec of specs) {
    if (!spec.sets) continue;
    const option = toOption(spec);
    const raw = values[option.attributeName()];
    if (typeof raw !== 'string') continue;
    const value = spec.convert ? spec.convert(raw) : raw;
    for (const path of spec.sets) out.push({ flag: option.long ?? spec.flags, path, value });
  }
  return out;
}
