/**
 * ReportData: everything the analyze report shows, as one JSON document that
 * the page embeds and its script draws. Built by ./collector.ts; the shape is
 * the contract between the collector and the page script (./page_script.ts).
 * Times are epoch ms (UTC).
 */
import type { Severity } from '../analysis/anomaly.js';
import type { FileReadStats } from '../sources/file/reader.js';
import type { Setting } from './whatif.js';

/** Level groups the timelines stack, worst first. */
export const LEVEL_GROUPS = ['error', 'warn', 'info', 'debug', 'unknown'] as const;
export type LevelGroup = (typeof LEVEL_GROUPS)[number];

export interface StreamSeries {
  stream: string;
  service: string;
  host: string;
  records: number;
  first: number;
  last: number;
  /** Records dated more than one window before the newest record of their stream. */
  late: number;
  /** Bucket start times, and per level group one count per bucket. */
  times: number[];
  levels: Record<LevelGroup, number[]>;
}

export interface ReportAnomaly {
  id: string;
  /** Window end: where the marker sits. */
  time: number;
  windowStart: number;
  stream: string;
  service: string;
  host: string;
  severity: Severity;
  type: string;
  summary: string;
  evidence: string[];
  action: string;
  score: number;
  detector: string;
  /** Notification channels the configured routes pick; `configured` says which of them exist in the config. */
  channels: Array<{ name: string; configured: boolean }>;
  /** Held back by suppression (an equal anomaly was notified within `suppression_minutes`). */
  suppressed: boolean;
}

export interface DayCounts {
  day: string;
  bySeverity: Record<Severity, number>;
  /** Notifications that would have been sent, per channel (suppressed ones excluded). */
  byChannel: Record<string, number>;
  suppressed: number;
}

export interface TemplateRow {
  id: string;
  template: string;
  count: number;
  firstSeen: number;
}

export interface ParameterSpread {
  /** 0-based token position in the template. */
  position: number;
  token: string;
  samples: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
}

export interface GateRow {
  threshold: number;
  current: boolean;
  windowsPerDay: number;
  tokensPerDay: number;
  costPerDay: number;
}

export interface ReportData {
  title: string;
  generatedAt: number;
  inputs: Array<{ name: string; stats: FileReadStats }>;
  range: { start: number; end: number; days: number };
  bucketMs: number;
  windowSeconds: number;
  streams: StreamSeries[];
  /** Streams beyond the charted ones, folded together. */
  otherStreams: { count: number; records: number };
  anomalies: ReportAnomaly[];
  perDay: DayCounts[];
  templates: { total: number; top: TemplateRow[]; newest: TemplateRow[]; spreads: Array<TemplateRow & { params: ParameterSpread[] }> };
  whatIf: {
    settings: readonly Setting[];
    notes: Record<string, string>;
    signals: Array<{ type: string; perDay: Record<Setting, number> }>;
    gate: GateRow[];
    sampleRate: number;
    pricePerMillionTokens: number;
    completionTokensPerCall: number;
    llm: { mode: string; model?: string };
  };
  quality: {
    records: number;
    lines: number;
    unparsed: number;
    untimed: number;
    late: number;
    future: number;
    streams: number;
    windows: number;
  };
}
