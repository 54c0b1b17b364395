/**
 * Format detection for `--format auto`: every candidate parser tries the first
 * non-empty lines, and the one that claims the most wins. Ties go to the more
 * specific format (JSON and CRI before syslog, plain, logfmt); if no parser
 * claims any line the file is read as raw lines. Pure.
 */
import { createLineParser, type LineFormat } from './formats.js';

/** How many non-empty lines detection looks at. */
export const DETECT_SAMPLE_LINES = 50;

/** Candidates in tie-break order: the most specific shape first. */
const CANDIDATES: readonly LineFormat[] = ['json', 'cri', 'syslog', 'plain', 'logfmt'];

export function detectFormat(sampleLines: readonly string[], now: number = Date.now()): LineFormat {
  const sample: string[] = [];
  for (const line of sampleLines) {
    if (line.trim().length === 0) continue;
    sample.push(line);
    if (sample.length >= DETECT_SAMPLE_LINES) break;
  }
  let best: LineFormat = 'raw';
  let bestCount = 0;
  for (const format of CANDIDATES) {
    const parse = createLineParser(format, () => now);
    let count = 0;
    for (const line of sample) if (parse(line) !== undefined) count++;
    if (count > bestCount) {
      best = format;
      bestCount = count;
    }
  }
  return best;
}
