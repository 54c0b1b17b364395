/**
 * A user-defined line format (`sources.file.pattern`, `--pattern`): a
 * JavaScript regular expression whose named groups `timestamp`, `level`,
 * `service`, `host` and `message` become those fields (any other named group
 * becomes a field of its own), plus an optional strptime layout for the
 * timestamp group (./strptime.ts; without one, ISO 8601 and epoch numbers are
 * read). A line the regex does not match, or whose timestamp does not fit the
 * layout, is not claimed. compilePattern validates up front and throws
 * PatternError with the reason, so a bad pattern fails at start-up. Pure.
 */
import { parseTimestamp } from '../timestamp.js';
import type { LineParser } from './formats.js';
import { compileLayout, LayoutError } from './strptime.js';

export const PATTERN_GROUPS = ['timestamp', 'level', 'service', 'host', 'message'] as const;

export interface PatternSpec {
  regex: string;
  timestamp_format?: string;
}

export class PatternError extends Error {
  override readonly name = 'PatternError';
}

export function compilePattern(spec: PatternSpec): LineParser {
  let re: RegExp;
  try {
    re = new RegExp(spec.regex);
  } catch (err) {
    throw new PatternError(`not a valid regular expression: ${(err as Error).message}`);
  }
  const groups = [...spec.regex.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]);
  if (!groups.some((g) => (PATTERN_GROUPS as readonly string[]).includes(g))) {
    throw new PatternError(`needs at least one named group of ${PATTERN_GROUPS.map((g) => `(?<${g}>…)`).join(', ')}`);
  }
  let readTime: (text: string) => number | undefined = parseTimestamp;
  if (spec.timestamp_format !== undefined) {
    if (!groups.includes('timestamp')) throw new PatternError('timestamp_format is set but the regex has no (?<timestamp>…) group');
    try {
      readTime = compileLayout(spec.timestamp_format);
    } catch (err) {
      throw new PatternError(`timestamp_format: ${(err as LayoutError).message}`);
    }
  }
  return (line) => {
    const m = re.exec(line);
    if (!m?.groups) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(m.groups)) if (value !== undefined) out[name] = value;
    if (out.timestamp !== undefined) {
      const t = readTime(String(out.timestamp));
      if (t === undefined) return undefined;
      out.timestamp = t;
    }
    if (out.message === undefined) out.message = line;
    return out;
  };
}
