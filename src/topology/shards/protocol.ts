/**
 * Messages between the shard pool (main thread) and a shard worker. Requests
 * carry an id that the reply repeats; a worker answers each request once, in
 * the order it received them.
 */
import type { AnalysisResult } from '../../analysis/analyzer.js';
import type { DetectorConfig } from '../../analysis/detector/config.js';
import type { PackedWindow } from './packed_window.js';

export interface ShardWorkerData {
  shard: number;
  shards: number;
  detector: DetectorConfig;
  /** This shard's state directory, when state is kept. */
  statePath?: string;
  /** Artificial delay before each window (tests that need a slow shard). */
  delayMs?: number;
  /** Whether results carry the compressed window view. */
  renderView: boolean;
}

/** An analysis result without its window, which stays on the main thread. */
export type ShardResult = Omit<AnalysisResult, 'window'>;

/** A silence result: the empty window travels as its bounds. */
export interface SilenceResult extends ShardResult {
  window: { stream: string; service: string; host: string; start: number; end: number };
}

/**
 * A shard's learned state as plain data: the analyzer's state files by name,
 * as its own save wrote them. Enough to resume the shard in another process
 * that owns the same shard of the same shard count.
 */
export interface ShardSnapshot {
  format: 'lookout.shard/1';
  hash: string;
  shard: number;
  shards: number;
  files: Record<string, string>;
}

/**
 * The windows stage's clock as read for some streams: [stream, streamNow,
 * openUntil]. A clock cannot cross threads, so the pool sends readings for
 * the streams a shard asked about last time, and the shard names the ones it
 * asked about and had no reading for (see ShardPool.checkSilence).
 */
export type ClockReading = [stream: string, streamNow: number, openUntil: number | undefined];

export type ShardRequest =
  | { id: number; type: 'analyze'; window: PackedWindow }
  | { id: number; type: 'silence'; readings: ClockReading[] }
  | { id: number; type: 'save'; reason: 'snapshot' | 'shutdown' }
  | { id: number; type: 'snapshot' };

export type ShardReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { id: number; type: 'analyzed'; result: ShardResult }
  | { id: number; type: 'silence'; results: SilenceResult[]; asked: string[]; missing: string[] }
  | { id: number; type: 'saved' }
  | { id: number; type: 'snapshot'; snapshot: ShardSnapshot }
  | { id: number; type: 'error'; message: string; stack?: string };
