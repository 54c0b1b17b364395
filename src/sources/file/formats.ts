/**
 * Line formats the file source reads, and the parser for each. A parser is a
 * pure function from one line to the raw fields normalize() understands, or
 * undefined when the line is not in its format (the reader then falls back to
 * raw, so no line is dropped, and counts the line as unparsed). `syslog`
 * accepts RFC 5424 and RFC 3164 lines; `pattern` is the user's own regex
 * (./pattern.ts).
 */
import { parseAccessLogLine } from './access_log.js';
import { parseApacheErrorLine } from './apache_error.js';
import { parseCriLine } from './cri.js';
import { parseJsonLine } from './json_lines.js';
import { parseLog4jLine } from './log4j.js';
import { parseLogfmtLine } from './logfmt.js';
import { compilePattern, type PatternSpec } from './pattern.js';
import { parsePlainLine } from './plain.js';
import { parseRawLine } from './raw.js';
import { parseBglLine, parseThunderbirdLine } from './supercomputer.js';
import { parseRfc3164Line } from './syslog_rfc3164.js';
import { parseRfc5424Line } from './syslog_rfc5424.js';
import { parseTimestampedLine } from './timestamped.js';

export const LINE_FORMATS = [
  'plain',
  'json',
  'cri',
  'syslog',
  'logfmt',
  'log4j',
  'apache_error',
  'access_log',
  'bgl',
  'thunderbird',
  'timestamped',
  'pattern',
  'raw',
] as const;
export type LineFormat = (typeof LINE_FORMATS)[number];

/** Values of the `format` option: a line format, or `auto` to detect one from the first lines. */
export const FORMAT_OPTIONS = ['auto', ...LINE_FORMATS] as const;
export type FormatOption = (typeof FORMAT_OPTIONS)[number];

export type LineParser = (line: string) => Record<string, unknown> | undefined;

/** Formats whose records may be followed by stack-trace continuation lines (./multiline.ts joins them). */
export const JOINING_FORMATS: ReadonlySet<LineFormat> = new Set([
  'plain', 'syslog', 'log4j', 'apache_error', 'timestamped', 'pattern', 'bgl', 'thunderbird',
]);

/**
 * `now` (epoch ms) only matters for RFC 3164's year-less dates; `pattern` is
 * required for the `pattern` format (and throws PatternError when invalid).
 */
export function createLineParser(format: LineFormat, now: () => number = Date.now, pattern?: PatternSpec): LineParser {
  switch (format) {
    case 'plain':
      return parsePlainLine;
    case 'json':
      return parseJsonLine;
    case 'cri':
      return parseCriLine;
    case 'syslog':
      return (line) => parseRfc5424Line(line) ?? parseRfc3164Line(line, now());
    case 'logfmt':
      return parseLogfmtLine;
    case 'log4j':
      return parseLog4jLine;
    case 'apache_error':
      return parseApacheErrorLine;
    case 'access_log':
      return parseAccessLogLine;
    case 'bgl':
      return parseBglLine;
    case 'thunderbird':
      return parseThunderbirdLine;
    case 'timestamped':
      return parseTimestampedLine;
    case 'pattern':
      if (!pattern) throw new TypeError('the pattern format needs a pattern');
      return compilePattern(pattern);
    case 'raw':
      return parseRawLine;
  }
}
