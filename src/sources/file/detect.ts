/**
 * Format detection for `--format auto`: every candidate parser tries the first
 * non-empty lines, and the one that claims the most wins. Ties go to the more
 * specific format (JSON, CRI, the supercomputer and web-server shapes, log4j
 * and syslog before plain and logfmt). `timestamped` (a time, then anything)
 * claims a superset of several of them, so it wins only when it reads more
 * than twice the lines the best specific format does. If no parser claims any
 * line the file is read as raw lines. Pure.
 */
import { createLineParser, type LineFormat } from './formats.js';

/** How many non-empty lines detection looks at. */
export const DETECT_SAMPLE_LINES = 50;

/** Candidates in tie-break order: the most specific shape first. */
const CANDIDATES: readonly LineFormat[] = [
  'json', 'cri', 'bgl', 'thunderbird', 'access_log', 'apache_error', 'syslog', 'log4j', 'plain', 'logfmt',
];

/** The non-empty lines of a sample detection (and the forced-format check) look at. */
export function sampleLines(lines: readonly string[]): string[] {
  const sample: string[] = [];
  for (const line of lines) {
    if (line.trim().length === 0) continue;
    sample.push(line);
    if (sample.length >= DETECT_SAMPLE_LINES) break;
  }
  return sample;
}

export function detectFormat(sampleLinesIn: readonly string[], now: number = Date.now()): LineFormat {
  const sample = sampleLines(sampleLinesIn);
  const claims = (format: LineFormat): number => {
    const parse = createLineParser(format, () => now);
    let count = 0;
    for (const line of sample) if (parse(line) !== undefined) count++;
    return count;
  };
  let best: LineFormat = 'raw';
  let bestCount = 0;
  for (const format of CANDIDATES) {
    const count = claims(format);
    if (count > bestCount) {
      best = format;
      bestCount = count;
    }
  }
  return claims('timestamped') > 2 * bestCount ? 'timestamped' : best;
}
