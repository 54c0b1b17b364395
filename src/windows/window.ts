/**
 * Window: the records of one stream over one time box, as handed to analysis.
 */
import type { LogRecord } from '../sources/record.js';

export type CloseReason = 'time' | 'size' | 'idle' | 'shutdown';

export interface Window {
  /** Stream key, e.g. `payments|web-1` (service + host by default). */
  stream: string;
  service: string;
  host: string;
  /** Window bounds, epoch ms: start of the time box and the latest record time seen. */
  start: number;
  end: number;
  /**
   * The records, in arrival order. An analyzer that packs them away for a
   * worker may empty the array once packed (../topology/shards/pool.ts):
   * `lines` keeps their count.
   */
  records: LogRecord[];
  /** How many records the window closed with. */
  lines: number;
  closedBy: CloseReason;
}
