/**
 * Forward protocol entry for an anomaly record
 * (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1):
 * time is an EventTime (ext type 0, second + nanosecond) taken from
 * `@timestamp`, which Fluent Bit in_forward and Vector's fluent source both
 * accept (Vector rejects float times); the record is the anomaly record as a
 * msgpack map. Its keys avoid `timestamp` and `tag`, which Vector's fluent
 * source would overwrite.
 */
import { EventTime } from '@fluent-org/logger';
import type { AnomalyRecord } from '../record.js';
import type { ForwardSinkOptions } from './config.js';

export function forwardEventTime(record: AnomalyRecord): EventTime {
  const ms = Date.parse(record['@timestamp']);
  return EventTime.fromTimestamp(Number.isNaN(ms) ? Date.now() : ms);
}

const EVENT_MODE = {
  message: 'Message',
  forward: 'Forward',
  packed_forward: 'PackedForward',
  compressed_packed_forward: 'CompressedPackedForward',
} as const;

export function clientEventMode(mode: ForwardSinkOptions['event_mode']) {
  return EVENT_MODE[mode];
}
