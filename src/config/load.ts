/**
 * Loads the effective configuration: YAML file, then environment overrides,
 * then CLI flags, validated in one pass so every problem is reported at once.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError, describeIssues } from './errors.js';
import { envOverrides, setPath, type ConfigTree } from './overrides.js';
import { LookoutConfigSchema, type LookoutConfig } from './schema.js';
import { logLevelProblem } from '../telemetry/log.js';

export interface FlagOverride {
  flag: string;
  path: string[];
  value: unknown;
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: FlagOverride[];
}

async function readYaml(file: string): Promise<ConfigTree> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new ConfigError(`config file ${file} is not valid YAML`, doc.errors.map((e) => e.message));
  const tree = doc.toJS() ?? {};
  if (typeof tree !== 'object' || Array.isArray(tree)) throw new ConfigError(`config file ${file} must hold a YAML mapping at the top`);
  return tree as ConfigTree;
}

export async function loadConfig(opts: LoadOptions = {}): Promise<LookoutConfig> {
  const tree: ConfigTree = opts.file ? await readYaml(opts.file) : {};
  const origins = new Map<string, string>();
  for (const o of envOverrides(opts.env ?? process.env)) {
    setPath(tree, o.path, o.value);
    origins.set(o.path.join('.'), `environment variable ${o.variable}`);
  }
  for (const f of opts.flags ?? []) {
    setPath(tree, f.path, f.value);
    origins.set(f.path.join('.'), `flag ${f.flag}`);
  }
  const parsed = LookoutConfigSchema.safeParse(tree);
  const logLevel = logLevelProblem(opts.env ?? process.env);
  if (!parsed.success || logLevel) {
    const problems = (parsed.success ? [] : describeIssues(parsed.error)).map((p) => {
      const key = p.slice(0, p.indexOf(':'));
      // An unknown key is reported where it starts (`windowz`), while the override set a path below it (`windowz.max_lines`).
      const origin = origins.get(key) ?? [...origins].find(([path]) => path.startsWith(`${key}.`))?.[1];
      return origin ? `${p} (from ${origin})` : p;
    });
    if (logLevel) problems.push(logLevel);
    throw new ConfigError(`invalid configuration${opts.file ? ` in ${opts.file}` : ''}`, problems);
  }
  return parsed.data;
}
