/**
 * Loki push request body (JSON form of POST /loki/api/v1/push,
 * https://grafana.com/docs/loki/latest/reference/loki-http-api/#ingest-logs):
 * `{"streams":[{"stream":{labels},"values":[["<unix ns>","<line>",{metadata}]]}]}`.
 * Records are grouped by their label set; timestamps are `@timestamp` as a
 * string of Unix epoch nanoseconds; values within a stream keep batch order.
 */
import { fieldString } from '../field-path.js';
import type { AnomalyRecord } from '../record.js';
import type { LokiSinkOptions } from './config.js';

export type LokiValue = [string, string] | [string, string, Record<string, string>];
export interface LokiStream {
  stream: Record<string, string>;
  values: LokiValue[];
}
export interface LokiPushRequest {
  streams: LokiStream[];
}

/** ISO-8601 ms timestamp -> Unix epoch nanoseconds as a decimal string. */
export function unixNanos(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`invalid @timestamp: ${iso}`);
  return (BigInt(ms) * 1_000_000n).toString();
}

type LokiEncodeOptions = Pick<LokiSinkOptions, 'labels' | 'static_labels' | 'structured_metadata' | 'line'>;

export function encodeLokiPush(records: AnomalyRecord[], opts: LokiEncodeOptions): LokiPushRequest {
  const streams = new Map<string, LokiStream>();
  const withMetadata = Object.keys(opts.structured_metadata).length > 0;
  for (const record of records) {
    const labels: Record<string, string> = { ...opts.static_labels };
    for (const [label, path] of Object.entries(opts.labels)) {
      const value = fieldString(record, path);
      if (value !== undefined && value !== '') labels[label] = value;
    }
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let stream = streams.get(key);
    if (!stream) streams.set(key, (stream = { stream: labels, values: [] }));
    const line = opts.line === 'message' ? record.message : JSON.stringify(record);
    const ts = unixNanos(record['@timestamp']);
    if (!withMetadata) {
      stream.values.push([ts, line]);
      continue;
    }
    const metadata: Record<string, string> = {};
    for (const [name, path] of Object.entries(opts.structured_metadata)) {
      const value = fieldString(record, path);
      if (value !== undefined) metadata[name] = value;
    }
    stream.values.push([ts, line, metadata]);
  }
  return { streams: [...streams.values()] };
}
