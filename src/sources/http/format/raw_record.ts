/**
 * What every body decoder yields: one field map per log record, before
 * normalize() turns it into a LogRecord, plus what the wire said about it.
 */
export interface RawRecord {
  fields: Record<string, unknown>;
  /** Estimated heap bytes of the decoded record (decode_limits.ts), which the window buffer is charged. */
  size: number;
  /** Event time carried outside the record (msgpack EventTime), epoch ms. */
  transportTime?: number;
}

export function isFieldMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A decoded value as a field map. A bare string is a log line: Vector with
 * `log_namespace = true` sends `["line1","line2"]`. Any other non-object is
 * kept as its JSON text, so nothing that arrived is dropped.
 */
export function valueToFields(v: unknown): Record<string, unknown> {
  if (isFieldMap(v)) return v;
  return { message: typeof v === 'string' ? v : JSON.stringify(v) };
}

/** 1-based line number and UTF-8 byte offset of a character offset, for error messages. */
export function locate(text: string, charOffset: number): { line: number; offset: number } {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < charOffset; i = text.indexOf('\n', i + 1)) line++;
  return { line, offset: Buffer.byteLength(text.slice(0, charOffset)) };
}

/** Body text without a UTF-8 byte order mark. */
export function bodyText(body: Buffer): string {
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * V8's JSON.parse message without anything taken from the input: V8 quotes the
 * offending token and the start of the text (`Unexpected token 'p',
 * "password=h"... is not valid JSON`), and error bodies and logs must never
 * echo what a client sent. The caller reports line and offset instead.
 */
export function jsonParseDetail(err: unknown): { detail: string; position?: number } {
  const message = (err as Error).message;
  const position = /at position (\d+)/.exec(message);
  const detail = /^Unexpected token/.test(message)
    ? 'unexpected character'
    : message
        .replace(/, ".*$/s, '')
        .replace(/ in JSON at position \d+.*$/s, '')
        .slice(0, 200);
  return { detail, position: position ? Number(position[1]) : undefined };
}
