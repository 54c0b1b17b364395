/**
 * Stream keys: which records share a window. The default (service, host)
 * matches how people think of a log stream; any normalized or raw field path
 * can be used instead.
 */
import { getPath } from '../sources/normalize.js';
import type { LogRecord } from '../sources/record.js';

export function streamKey(record: LogRecord, keyFields: readonly string[]): string {
  let key = '';
  for (let i = 0; i < keyFields.length; i++) {
    const f = keyFields[i];
    const v = f === 'service' ? record.service : f === 'host' ? record.host : f === 'tag' ? record.tag : getPath(record.fields, f);
    if (i > 0) key += '|';
    key += v === undefined || v === null ? '-' : String(v);
  }
  return key;
}
