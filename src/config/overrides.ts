/**
 * Environment overrides: `LOOKOUT_<PATH>` where path segments are joined by a
 * double underscore and matched case-insensitively, e.g.
 * `LOOKOUT_SOURCES__HTTP__PORT=9000`, `LOOKOUT_ANALYSIS__LLM__MODE=off`.
 * Values are read as YAML scalars, so numbers, booleans and `[a, b]` lists work.
 */
import { parse as parseYaml } from 'yaml';

export const ENV_PREFIX = 'LOOKOUT_';
/** Variables the service reads itself rather than as config paths. */
const NOT_CONFIG = new Set(['LOOKOUT_LOG_LEVEL']);

export type ConfigTree = Record<string, unknown>;

export function setPath(tree: ConfigTree, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as ConfigTree;
  }
  node[path[path.length - 1]] = value;
}

function scalar(raw: string): unknown {
  try {
    return parseYaml(raw);
  } catch {
    return raw;
  }
}

export function envOverrides(env: NodeJS.ProcessEnv): Array<{ variable: string; path: string[]; value: unknown }> {
  const out: Array<{ variable: string; path: string[]; value: unknown }> = [];
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || NOT_CONFIG.has(variable) || raw === undefined) continue;
    const path = variable.slice(ENV_PREFIX.length).toLowerCase().split('__').filter(Boolean);
    if (path.length > 0) out.push({ variable, path, value: scalar(raw) });
  }
  return out;
}
