/**
 * JSON lines: one JSON object per line, whatever shipped it — Vector events
 * (`message`, `timestamp`, `host`, …, https://vector.dev/docs/reference/configuration/sinks/file/),
 * Fluent Bit `format json_lines` (`date` as epoch seconds by default,
 * https://docs.fluentbit.io/manual/pipeline/outputs/standard-output), Docker's json-file
 * driver (`{"log":"…\n","stream":"stdout","time":"…"}`,
 * https://docs.docker.com/engine/logging/drivers/json-file/). The fields are
 * passed through for normalize() to interpret; only Docker's trailing newline
 * on `log` is stripped. Arrays and scalars are not records. Pure.
 */
export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  const start = line.trimStart();
  if (start[0] !== '{') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(start);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.log === 'string' && record.log.endsWith('\n')) {
    record.log = record.log.slice(0, record.log.endsWith('\r\n') ? -2 : -1);
  }
  return record;
}
