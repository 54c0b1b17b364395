/** NDJSON (https://github.com/ndjson/ndjson-spec): one JSON object per line, each line ending in `\n`. */
import type { AnomalyRecord } from './record.js';

export function encodeNdjson(records: AnomalyRecord[]): string {
  let out = '';
  for (const r of records) out += `${JSON.stringify(r)}\n`;
  return out;
}
