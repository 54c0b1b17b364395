/**
 * CLI flags that override configuration keys, shared by every command that
 * loads the configuration (`serve`, `analyze`, `config check`).
 */
import type { FlagOverride } from '../config/load.js';

export const CONFIG_FLAGS = {
  config: { type: 'string', short: 'c' },
  host: { type: 'string' },
  'http-port': { type: 'string' },
  'forward-port': { type: 'string' },
  'llm-base-url': { type: 'string' },
  'llm-model': { type: 'string' },
  'llm-mode': { type: 'string' },
  state: { type: 'string' },
  pattern: { type: 'string' },
  'timestamp-format': { type: 'string' },
} as const;

export type ConfigFlagValues = Partial<Record<keyof typeof CONFIG_FLAGS, string | boolean>>;

function asNumber(v: string): number | string {
  return /^\d+$/.test(v) ? Number(v) : v;
}

export function flagOverrides(values: ConfigFlagValues): FlagOverride[] {
  const out: FlagOverride[] = [];
  const str = (k: keyof typeof CONFIG_FLAGS) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const host = str('host');
  if (host !== undefined) {
    out.push({ flag: '--host', path: ['sources', 'http', 'address'], value: host });
    out.push({ flag: '--host', path: ['sources', 'forward', 'address'], value: host });
  }
  const simple: Array<[keyof typeof CONFIG_FLAGS, string[], (v: string) => unknown]> = [
    ['http-port', ['sources', 'http', 'port'], asNumber],
    ['forward-port', ['sources', 'forward', 'port'], asNumber],
    ['llm-base-url', ['analysis', 'llm', 'base_url'], String],
    ['llm-model', ['analysis', 'llm', 'model'], String],
    ['llm-mode', ['analysis', 'llm', 'mode'], String],
    ['state', ['analysis', 'state_path'], String],
    ['pattern', ['sources', 'file', 'pattern', 'regex'], String],
    ['timestamp-format', ['sources', 'file', 'pattern', 'timestamp_format'], String],
  ];
  for (const [flag, path, convert] of simple) {
    const v = str(flag);
    if (v !== undefined) out.push({ flag: `--${flag}`, path, value: convert(v) });
  }
  return out;
}
