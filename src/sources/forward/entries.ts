/**
 * Reads a sequence of Forward entries (`[time, record]` or Fluent Bit's
 * `[[time, metadata], record]`) into events, via the shared parseFluentEntry.
 * Group markers are dropped; a malformed entry is skipped and described, so
 * one bad record does not make a client retry a whole chunk forever.
 */
import { EntryShapeError, parseFluentEntry } from '../fluent_entry.js';
import type { EntryBatch } from './protocol.js';

export function readEntries(entries: Iterable<unknown>): EntryBatch {
  const batch: EntryBatch = { events: [], malformed: [] };
  let index = 0;
  for (const entry of entries) {
    try {
      const parsed = parseFluentEntry(entry);
      if (parsed.kind === 'event') batch.events.push(parsed);
    } catch (err) {
      if (!(err instanceof EntryShapeError)) throw err;
      batch.malformed.push(`entry ${index}: ${err.detail}`);
    }
    index++;
  }
  return batch;
}
