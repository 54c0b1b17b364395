/**
 * Stream keys: which records share a window. The default (service, host)
 * matches how people think of a log stream; any normalized or raw field path
 * can be used instead.
 */
import { getPath } from '../sources/normalize.js';
import type { LogRecord } from '../sources/record.js';

/**
 * Keys of the default (service, host) streams, built once per pair: every
 * record is keyed at admission, and a Map lookup of a freshly concatenated
 * string hashes it anew each time. Bounded: past MAX_CACHED pairs (a
 * cardinality explosion) it starts over.
 */
const byServiceHost = new Map<string, Map<string, string>>();
let cachedPairs = 0;
const MAX_CACHED = 10_000;

function serviceHostKey(service: string, host: string): string {
  let hosts = byServiceHost.get(service);
  if (!hosts) byServiceHost.set(service, (hosts = new Map()));
  let key = hosts.get(host);
  if (key === undefined) {
    if (++cachedPairs > MAX_CACHED) {
      byServiceHost.clear();
      byServiceHost.set(service, hosts);
      hosts.clear();
      cachedPairs = 1;
    }
    key = `${service}|${host}`;
    hosts.set(host, key);
  }
  return key;
}

/** Whether keys of `keyFields` read a record's raw `fields` (any path but service, host and tag). */
export function keyReadsFields(keyFields: readonly string[]): boolean {
  return keyFields.some((f) => f !== 'service' && f !== 'host' && f !== 'tag');
}

export function streamKey(record: LogRecord, keyFields: readonly string[]): string {
  if (keyFields.length === 2 && keyFields[0] === 'service' && keyFields[1] === 'host') return serviceHostKey(record.service, record.host);
  let key = '';
  for (let i = 0; i < keyFields.length; i++) {
    const f = keyFields[i];
    const v = f === 'service' ? record.service : f === 'host' ? record.host : f === 'tag' ? record.tag : getPath(record.fields, f);
    if (i > 0) key += '|';
    key += v === undefined || v === null ? '-' : String(v);
  }
  return key;
}
