/**
 * ReportCollector: gathers what the analyze report shows while the replay
 * runs, in bounded memory, and turns it into ReportData (./data.ts) at the end.
 *
 * - records (before windowing): per stream, counts per time bucket by level
 *   group, late and future-dated records; templates mined with the configured
 *   miner settings (the detector's own miner may live in another thread, so
 *   the report mines its own copy), with a sample of each numeric parameter;
 * - window results: the LLM gate at a few thresholds and an estimate of the
 *   prompt tokens each gated window would cost (the real prompt, built and
 *   measured at 4 characters per token);
 * - anomaly records: where the configured notification routes would send
 *   each, and whether suppression would hold it back (replayed on the
 *   anomalies' own clock).
 * Bounds: MAX_STREAMS charted streams (the rest are folded together),
 * MAX_ANOMALIES anomalies kept, MAX_SPREAD_TEMPLATES templates sampled.
 */
import { SEVERITIES, type Severity } from '../analysis/anomaly.js';
import type { AnalysisResult } from '../analysis/analyzer.js';
import { buildPrompt } from '../analysis/prompt.js';
import { TemplateMiner } from '../analysis/templates/miner.js';
import { tokenize } from '../analysis/templates/tokenize.js';
import type { LookoutConfig } from '../config/schema.js';
import { DEFAULT_ROUTES, routeChannels } from '../sinks/notifications/routing.js';
import { Suppressor } from '../sinks/notifications/suppression.js';
import type { AnomalyRecord } from '../sinks/record.js';
import type { FileReadStats } from '../sources/file/reader.js';
import type { Level, LogRecord } from '../sources/record.js';
import { streamKey } from '../windows/stream_key.js';
import { LEVEL_GROUPS, type DayCounts, type LevelGroup, type ParameterSpread, type ReportAnomaly, type ReportData, type StreamSeries, type TemplateRow } from './data.js';
import { SETTING_NOTES, SETTINGS, type SignalCounts } from './whatif.js';

export const MAX_STREAMS = 500;
export const MAX_ANOMALIES = 5000;
const MAX_SPREAD_TEMPLATES = 2000;
const MAX_SPREAD_POSITIONS = 32;
const RESERVOIR = 64;
/** Charts show at most this many streams and this many points per stream. */
const CHARTED_STREAMS = 24;
const MAX_POINTS = 720;
const TOP_TEMPLATES = 25;
const SPREAD_TEMPLATES = 5;
const DAY_MS = 86_400_000;
const MIN_SPAN_DAYS = 1 / 24;
/** A record dated this far past the moment it was read was written by a clock running ahead. */
const FUTURE_SLACK_MS = 5 * 60_000;
/** Rule of thumb for English-heavy text in GPT-style tokenizers (https://platform.openai.com/tokenizer). */
const CHARS_PER_TOKEN = 4;
/** Completion tokens assumed per LLM call when none was measured: one short JSON answer. */
export const DEFAULT_COMPLETION_TOKENS = 250;
const GATE_THRESHOLDS = [0.2, 0.4, 0.6, 0.8];

const GROUP_OF: Record<Level, number> = {
  fatal: 0, critical: 0, error: 0, warn: 1, notice: 2, info: 2, debug: 3, trace: 3, unknown: 4,
};

const NUMBER = /^(?:[\w.-]*[=:])?\(?(-?\d+(?:\.\d+)?)(?:[a-zA-Z%]{0,3})[),;]?$/;

type StreamAcc = Pick<StreamSeries, 'service' | 'host' | 'records' | 'first' | 'last' | 'late'> & {
  /** Bucket index → counts per level group. */
  buckets: Map<number, Int32Array>;
};

interface NumberAcc {
  n: number;
  min: number;
  max: number;
  sample: number[];
}

export interface ReportOptions {
  title: string;
  pricePerMillionTokens: number;
  now?: () => number;
}

export class ReportCollector {
  private readonly streams = new Map<string, StreamAcc>();
  private other = { streams: new Set<string>(), records: 0 };
  private readonly bucketMs: number;
  private readonly keyFields: readonly string[];
  private readonly miner: TemplateMiner;
  private readonly numbers = new Map<string, Map<number, NumberAcc>>();
  private seed = 0x9e3779b9;
  private records = 0;
  private future = 0;
  /** UTC days (epoch day numbers) that had records: a replay of files far apart in time is rated over these. */
  private readonly activeDays = new Set<number>();
  private start = Infinity;
  private end = -Infinity;
  private windows = 0;
  private readonly gate: Array<{ threshold: number; windows: number; tokens: number }>;
  private below = { windows: 0, tokens: 0 };
  private completion = { calls: 0, tokens: 0 };
  private readonly anomalies: ReportAnomaly[] = [];
  private anomaliesSeen = 0;
  private readonly days = new Map<string, DayCounts>();
  private readonly suppressor: Suppressor;
  private suppressClock = 0;
  private readonly configured: Set<string>;
  private readonly routes: LookoutConfig['notifications']['routes'];
  private signalCounts: SignalCounts = {};

  constructor(
    private readonly config: LookoutConfig,
    private readonly opts: ReportOptions,
  ) {
    this.bucketMs = config.windows.duration_seconds * 1000;
    this.keyFields = config.windows.key_fields;
    this.miner = new TemplateMiner(config.analysis.detector.miner);
    const thresholds = new Set([...GATE_THRESHOLDS, config.analysis.detector.gate.threshold]);
    this.gate = [...thresholds].sort((a, b) => a - b).map((threshold) => ({ threshold, windows: 0, tokens: 0 }));
    const n = config.notifications;
    this.configured = new Set(['slack', 'pagerduty', 'webhook', 'file'].filter((c) => n[c as 'slack'] !== undefined));
    this.routes = n.routes;
    this.suppressor = new Suppressor(n.suppression_minutes * 60_000, n.suppression_max_keys, () => this.suppressClock);
  }

  addRecords(batch: readonly LogRecord[]): void {
    for (const r of batch) {
      this.records++;
      const t = r.timestamp;
      if (t < this.start) this.start = t;
      if (t > this.end) this.end = t;
      if (t > r.observedAt + FUTURE_SLACK_MS) this.future++;
      this.activeDays.add(Math.floor(t / DAY_MS));
      this.countStream(r);
      this.mine(r);
    }
  }

  addResult(result: AnalysisResult): void {
    this.windows++;
    const w = result.window;
    const prompt = buildPrompt({
      service: w.service,
      host: w.host,
      stream: w.stream,
      start: w.start,
      end: w.end,
      lineCount: w.lines,
      view: result.view ?? '',
      hints: result.anomalies,
      boundary: '000000000000',
    });
    const tokens = Math.ceil((prompt.system.length + prompt.user.length) / CHARS_PER_TOKEN);
    for (const g of this.gate) {
      if (result.score >= g.threshold) {
        g.windows++;
        g.tokens += tokens;
      }
    }
    if (result.score < this.config.analysis.detector.gate.threshold) {
      this.below.windows++;
      this.below.tokens += tokens;
    }
    if (result.llm && !result.llm.cached && result.llm.completionTokens > 0) {
      this.completion.calls++;
      this.completion.tokens += result.llm.completionTokens;
    }
  }

  addAnomalies(records: readonly AnomalyRecord[]): void {
    for (const rec of records) {
      this.anomaliesSeen++;
      const time = Date.parse(rec['@timestamp']);
      this.suppressClock = Math.max(this.suppressClock, time);
      const suppressed = !this.suppressor.check(rec).notify;
      const channels = routeChannels(rec, this.routes ?? DEFAULT_ROUTES).map((name) => ({ name, configured: this.configured.has(name) }));
      this.countDay(rec.anomaly.severity, time, channels, suppressed);
      if (this.anomalies.length >= MAX_ANOMALIES) continue;
      const a = rec.anomaly;
      this.anomalies.push({
        id: a.id,
        time,
        windowStart: Date.parse(rec.window.start),
        stream: rec.window.stream,
        service: rec.service.name,
        host: rec.host.name,
        severity: a.severity,
        type: a.type,
        summary: a.summary,
        evidence: a.evidence,
        action: a.recommended_action,
        score: a.score,
        detector: a.detector,
        channels,
        suppressed,
      });
    }
  }

  /** Per-signal counts at the what-if settings (./whatif.ts). */
  setSignalCounts(counts: SignalCounts): void {
    this.signalCounts = counts;
  }

  get anomalyCount(): number {
    return this.anomaliesSeen;
  }

  finish(inputs: Array<{ name: string; stats: FileReadStats }>): ReportData {
    const start = Number.isFinite(this.start) ? this.start : 0;
    const end = Number.isFinite(this.end) ? this.end : start;
    // Rates per day over the time the records span (at least an hour), but not over days without any record.
    const days = Math.max(MIN_SPAN_DAYS, Math.min((end - start) / DAY_MS, this.activeDays.size));
    const perDay = (n: number) => Math.round((n / days) * 100) / 100;
    const cfg = this.config;
    const price = this.opts.pricePerMillionTokens;
    const completion = this.completion.calls > 0 ? Math.round(this.completion.tokens / this.completion.calls) : DEFAULT_COMPLETION_TOKENS;
    const sample = cfg.analysis.detector.gate.sample_rate;
    const late = [...this.streams.values()].reduce((s, a) => s + a.late, 0);
    const llm = cfg.analysis.llm;
    return {
      title: this.opts.title,
      generatedAt: (this.opts.now ?? Date.now)(),
      inputs,
      range: { start, end, days: Math.round(days * 100) / 100 },
      bucketMs: this.bucketMs,
      windowSeconds: cfg.windows.duration_seconds,
      streams: this.chartedStreams(start, end),
      otherStreams: {
        count: Math.max(0, this.streams.size - CHARTED_STREAMS) + this.other.streams.size,
        records: this.other.records + [...this.streams.values()].sort((a, b) => b.records - a.records).slice(CHARTED_STREAMS).reduce((s, a) => s + a.records, 0),
      },
      anomalies: [...this.anomalies].sort((a, b) => a.time - b.time),
      perDay: [...this.days.values()].sort((a, b) => a.day.localeCompare(b.day)),
      templates: this.templateTables(start, end),
      whatIf: {
        settings: SETTINGS,
        notes: SETTING_NOTES,
        signals: Object.entries(this.signalCounts)
          .map(([type, c]) => ({ type, perDay: { stricter: perDay(c.stricter), current: perDay(c.current), looser: perDay(c.looser) } }))
          .sort((a, b) => b.perDay.looser - a.perDay.looser),
        gate: this.gate.map((g) => {
          // Quiet windows are drawn at the sample rate on top of those that pass the threshold.
          const quiet = this.windows - g.windows;
          const quietTokens = this.below.windows > 0 ? (this.below.tokens / this.below.windows) * quiet : 0;
          const windows = g.windows + sample * quiet;
          const tokens = g.tokens + sample * quietTokens + windows * completion;
          return {
            threshold: g.threshold,
            current: g.threshold === cfg.analysis.detector.gate.threshold,
            windowsPerDay: perDay(windows),
            tokensPerDay: Math.round(tokens / days),
            costPerDay: Math.round(((tokens / days) * price) / 1e4) / 100,
          };
        }),
        sampleRate: sample,
        pricePerMillionTokens: price,
        completionTokensPerCall: completion,
        llm: { mode: llm ? llm.mode : 'off', model: llm?.model },
      },
      quality: {
        records: this.records,
        lines: inputs.reduce((s, i) => s + i.stats.lines, 0),
        unparsed: inputs.reduce((s, i) => s + i.stats.unparsed, 0),
        untimed: inputs.reduce((s, i) => s + i.stats.untimed, 0),
        late,
        future: this.future,
        streams: this.streams.size + this.other.streams.size,
        windows: this.windows,
      },
    };
  }

  private countStream(r: LogRecord): void {
    const key = streamKey(r, this.keyFields);
    let acc = this.streams.get(key);
    if (!acc) {
      if (this.streams.size >= MAX_STREAMS) {
        if (this.other.streams.size < MAX_STREAMS * 20) this.other.streams.add(key);
        this.other.records++;
        return;
      }
      acc = { service: r.service, host: r.host, records: 0, first: r.timestamp, last: r.timestamp, late: 0, buckets: new Map() };
      this.streams.set(key, acc);
    }
    acc.records++;
    if (r.timestamp < acc.last - this.bucketMs) acc.late++;
    if (r.timestamp < acc.first) acc.first = r.timestamp;
    if (r.timestamp > acc.last) acc.last = r.timestamp;
    const bucket = Math.floor(r.timestamp / this.bucketMs);
    let counts = acc.buckets.get(bucket);
    if (!counts) acc.buckets.set(bucket, (counts = new Int32Array(LEVEL_GROUPS.length)));
    counts[GROUP_OF[r.level]]++;
  }

  private mine(r: LogRecord): void {
    const m = this.miner.add(r.message, r.timestamp);
    let positions = this.numbers.get(m.id);
    if (!positions) {
      if (this.numbers.size >= MAX_SPREAD_TEMPLATES) return;
      this.numbers.set(m.id, (positions = new Map()));
    }
    const tokens = tokenize(r.message);
    const n = Math.min(tokens.length, MAX_SPREAD_POSITIONS);
    for (let i = 0; i < n; i++) {
      const num = NUMBER.exec(tokens[i]);
      if (!num) continue;
      const v = Number(num[1]);
      let acc = positions.get(i);
      if (!acc) positions.set(i, (acc = { n: 0, min: v, max: v, sample: [] }));
      acc.n++;
      if (v < acc.min) acc.min = v;
      if (v > acc.max) acc.max = v;
      // Reservoir sampling (Vitter's algorithm R) keeps a uniform sample for the quantiles.
      if (acc.sample.length < RESERVOIR) acc.sample.push(v);
      else {
        const j = this.random() % acc.n;
        if (j < RESERVOIR) acc.sample[j] = v;
      }
    }
  }

  /** xorshift32: reproducible reports for the same input. */
  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  private countDay(severity: Severity, time: number, channels: ReportAnomaly['channels'], suppressed: boolean): void {
    const day = new Date(time).toISOString().slice(0, 10);
    let d = this.days.get(day);
    if (!d) {
      d = { day, bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>, byChannel: {}, suppressed: 0 };
      this.days.set(day, d);
    }
    d.bySeverity[severity]++;
    if (suppressed) d.suppressed++;
    else for (const c of channels) d.byChannel[c.name] = (d.byChannel[c.name] ?? 0) + 1;
  }

  private chartedStreams(start: number, end: number): ReportData['streams'] {
    const first = Math.floor(start / this.bucketMs);
    const last = Math.floor(end / this.bucketMs);
    const factor = Math.max(1, Math.ceil((last - first + 1) / MAX_POINTS));
    const size = this.bucketMs * factor;
    const points = Math.floor((last - first) / factor) + 1;
    return [...this.streams.entries()]
      .sort((a, b) => b[1].records - a[1].records)
      .slice(0, CHARTED_STREAMS)
      .map(([stream, acc]) => {
        const levels = Object.fromEntries(LEVEL_GROUPS.map((g) => [g, new Array<number>(points).fill(0)])) as Record<LevelGroup, number[]>;
        for (const [bucket, counts] of acc.buckets) {
          const p = Math.floor((bucket - first) / factor);
          LEVEL_GROUPS.forEach((g, i) => (levels[g][p] += counts[i]));
        }
        const times = Array.from({ length: points }, (_, p) => first * this.bucketMs + p * size);
        return { stream, service: acc.service, host: acc.host, records: acc.records, first: acc.first, last: acc.last, late: acc.late, times, levels };
      });
  }

  private templateTables(start: number, end: number): ReportData['templates'] {
    const all = this.miner.templates();
    const row = (t: (typeof all)[number]): TemplateRow => ({ id: t.id, template: t.template, count: t.count, firstSeen: t.firstSeen });
    const byCount = [...all].sort((a, b) => b.count - a.count);
    // "New" means after the history had a chance to show it: the first day of a longer replay, else its first quarter.
    const settled = end - start >= 2 * DAY_MS ? start + DAY_MS : start + (end - start) / 4;
    const newest = all.filter((t) => t.firstSeen > settled).sort((a, b) => b.firstSeen - a.firstSeen).slice(0, TOP_TEMPLATES).map(row);
    const spreads = byCount.slice(0, SPREAD_TEMPLATES).map((t) => {
      const tokens = tokenize(t.template);
      const params: ParameterSpread[] = [];
      for (const [position, acc] of this.numbers.get(t.id) ?? []) {
        const token = tokens[position] ?? '';
        if (!token.includes('<') || acc.n < 2) continue;
        const sorted = [...acc.sample].sort((a, b) => a - b);
        const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
        params.push({ position, token, samples: acc.n, min: acc.min, p50: q(0.5), p95: q(0.95), max: acc.max });
      }
      return { ...row(t), params: params.sort((a, b) => a.position - b.position) };
    });
    return { total: all.length, top: byCount.slice(0, TOP_TEMPLATES).map(row), newest, spreads };
  }
}
