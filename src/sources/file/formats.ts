/**
 * Line formats the file source reads, and the parser for each. A parser is a
 * pure function from one line to the raw fields normalize() understands, or
 * undefined when the line is not in its format (the reader then falls back to
 * raw, so no line is dropped). `syslog` accepts RFC 5424 and RFC 3164 lines.
 */
import { parseCriLine } from './cri.js';
import { parseJsonLine } from './json_lines.js';
import { parseLogfmtLine } from './logfmt.js';
import { parsePlainLine } from './plain.js';
import { parseRawLine } from './raw.js';
import { parseRfc3164Line } from './syslog_rfc3164.js';
import { parseRfc5424Line } from './syslog_rfc5424.js';

export const LINE_FORMATS = ['plain', 'json', 'cri', 'syslog', 'logfmt', 'raw'] as const;
export type LineFormat = (typeof LINE_FORMATS)[number];

/** Values of the `format` option: a line format, or `auto` to detect one from the first lines. */
export const FORMAT_OPTIONS = ['auto', ...LINE_FORMATS] as const;
export type FormatOption = (typeof FORMAT_OPTIONS)[number];

export type LineParser = (line: string) => Record<string, unknown> | undefined;

/** `now` (epoch ms) only matters for RFC 3164's year-less dates. */
export function createLineParser(format: LineFormat, now: () => number = Date.now): LineParser {
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
    case 'raw':
      return parseRawLine;
  }
}
