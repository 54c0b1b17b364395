/**
 * Request bodies for the http sink. `json` is a single-line JSON array, which
 * both Fluent Bit in_http (array of objects) and Vector http_server with
 * `decoding.codec = "json"` (an array line becomes one event per element)
 * accept; `ndjson` is one object per line for newline framing.
 */
import { encodeNdjson } from '../ndjson.js';
import type { AnomalyRecord } from '../record.js';
import type { HttpSinkOptions } from './config.js';

export interface EncodedBody {
  contentType: string;
  body: string;
}

export function encodeHttpBody(records: AnomalyRecord[], format: HttpSinkOptions['format']): EncodedBody {
  if (format === 'ndjson') return { contentType: 'application/x-ndjson', body: encodeNdjson(records) };
  return { contentType: 'application/json', body: JSON.stringify(records) };
}
