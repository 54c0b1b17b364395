/** Reads a dotted field path (`anomaly.severity`) from an anomaly record as a string, for labels and metadata. */
import type { AnomalyRecord } from './record.js';

export function fieldString(record: AnomalyRecord, path: string): string | undefined {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
