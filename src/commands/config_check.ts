/**
 * `lookout config check`: validates the configuration and prints the effective
 * one, secrets masked. With `--connect` it then tries every sink, notification
 * channel and the LLM endpoint once (like `vector validate`'s healthchecks,
 * https://vector.dev/docs/reference/cli/#validate) and prints a table; exit 1
 * when any of them failed.
 */
import { stringify } from 'yaml';
import type { ProbeResult } from '../common/probe.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import { maskSecrets } from '../config/mask.js';
import { probeDependencies } from '../topology/dependencies.js';
import { RuleBook, rulesPath, type Rule } from '../analysis/rules/rules.js';

export interface ConfigCheckOptions {
  connect?: boolean;
  timeoutMs?: number;
}

export async function runConfigCheck(load: LoadOptions, stdout: NodeJS.WritableStream, opts: ConfigCheckOptions = {}): Promise<number> {
  const config = await loadConfig(load);
  stdout.write(stringify(maskSecrets(config)));
  stdout.write(rulesReport(rulesPath(config.analysis), (await RuleBook.load(rulesPath(config.analysis))).rules));
  if (!opts.connect) return 0;
  const results = await probeDependencies(config, opts.timeoutMs ?? 5000);
  stdout.write(`\n${connectTable(results)}`);
  const failed = results.filter((r) => !r.ok).length;
  stdout.write(failed === 0 ? `all ${results.length} endpoints answered\n` : `${failed} of ${results.length} endpoints failed\n`);
  return failed === 0 ? 0 : 1;
}

/** The rules in force (analysis.rules, with what feedback added), so a muted finding is never a mystery. */
function rulesReport(path: string | undefined, rules: Rule[]): string {
  const where = path ?? 'none: feedback rules are kept in memory only (set analysis.rules or analysis.state_path)';
  if (rules.length === 0) return `\n# rules file: ${where}; no rules\n`;
  return `\n# rules file: ${where}; ${rules.length} rule${rules.length === 1 ? '' : 's'}\n${stringify({ rules })}`;
}

/** Aligned columns: status, kind, name, target, detail. Targets are URLs as configured; credentials never appear in them. */
export function connectTable(results: ProbeResult[]): string {
  const rows = [['STATUS', 'KIND', 'NAME', 'TARGET', 'DETAIL'], ...results.map((r) => [r.ok ? 'ok' : 'FAILED', r.kind, r.name, maskUrl(r.target), r.detail])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

/** A URL may carry user:password. */
function maskUrl(target: string): string {
  if (!URL.canParse(target)) return target;
  const url = new URL(target);
  if (!url.password) return target;
  url.password = '****';
  return url.toString();
}
