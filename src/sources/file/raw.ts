/**
 * Raw lines: the whole line is the message. The fallback every other format
 * uses for a line it does not recognise, so no line is ever dropped.
 */
export function parseRawLine(line: string): Record<string, unknown> {
  return { message: line };
}
