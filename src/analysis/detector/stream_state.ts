/**
 * Per-stream baselines the embedded detector compares each window against:
 * windows seen, lines per window, error lines per window, one EWMA (mean and
 * variance, Finch 2009 "Incremental calculation of weighted mean and variance",
 * https://fanf2.user.srcf.net/hermes/doc/antiforgery/stats.pdf) of the
 * per-window count of every template, long-run template totals for shares,
 * cross-window vocabulary matches (recent ones bucketed in time, plus
 * settled totals for the usual rate), and arrival pacing for silence.
 *
 * Bounded: template baselines per stream are capped (the least used are
 * dropped), recent vocabulary matches are kept in at most a few hundred time
 * buckets per entry (see vocabulary.ts), and streams live in an LRU
 * cache of `max_streams`. Serializable to plain JSON for persistence.
 */
import { LRUCache } from 'lru-cache';
import { SeveritySchema } from '../anomaly.js';
import { z } from 'zod';
import { newActorTable, type ActorTable } from './actors.js';
import type { OpenIncident } from './fold.js';
import { deserializeSeries, serializeSeries, type NumericSeries } from './numeric_drift.js';

export interface Ewma {
  mean: number;
  variance: number;
}

export function ewmaInit(x: number): Ewma {
  return { mean: x, variance: 0 };
}

export function ewmaUpdate(e: Ewma, x: number, alpha: number): void {
  const diff = x - e.mean;
  const incr = alpha * diff;
  e.mean += incr;
  e.variance = (1 - alpha) * (e.variance + diff * incr);
}

/** z-score of `x` against `e`, with the standard deviation floored so tiny or constant baselines do not alarm. */
export function zScore(e: Ewma, x: number, floor: number): number {
  // Counts are roughly Poisson, so the spread is at least sqrt(mean) too.
  const sd = Math.max(Math.sqrt(e.variance), Math.sqrt(e.mean), floor);
  return (x - e.mean) / sd;
}

export interface TemplateBaseline {
  /** Per-window count. */
  count: Ewma;
  /** Lines of this template seen in the stream. */
  total: number;
  /** Windows observed since the template was first seen in the stream. */
  windows: number;
  /** Index (StreamState.windows) of the last window that had the template. */
  lastWindow: number;
  /**
   * Per-window count over the windows that had the template only: a job's burst every few windows or an hourly
   * report is compared with its own bursts, not with a mean diluted by the windows between them.
   */
  present: Ewma;
  /** Windows that had the template. */
  presentWindows: number;
  /** Counts of the latest windows in a row that had the template, oldest first; RUN_WINDOWS of them means a longer run. */
  run: number[];
  /** `count` as it was before that run began, so a run is not judged against itself. */
  runBase?: { count: Ewma };
  /** Lines per run of windows in a row that had the template (runs that ended; the first RUN_WINDOWS windows of a longer one). */
  runs?: Ewma;
}

/** Windows a sustained rate is summed over (rate_change.ts): the current one and up to this many - 1 before it. */
export const RUN_WINDOWS = 6;

export interface StreamState {
  stream: string;
  service: string;
  host: string;
  windows: number;
  totalLines: number;
  lines: Ewma;
  errors: Ewma;
  /** Error-or-worse lines seen in total, for the usual error fraction. */
  totalErrors: number;
  templates: Map<string, TemplateBaseline>;
  /** Vocabulary entry name → recent matches as [latest match time (epoch ms), matches] buckets, oldest first. */
  vocab: Map<string, Array<[number, number]>>;
  /** Vocabulary entry name → matches that left the running count in `vocab` (older than the span, or reported). */
  vocabPast: Map<string, number>;
  /** Event time the stream's first window started at (epoch ms); 0 before any window. */
  firstTime: number;
  /** Latest record time on the stream's window axis (README "Time"), epoch ms. */
  lastArrival: number;
  /** Usual time between windows, ms (EWMA), undefined until two windows arrived. */
  interval?: Ewma;
  /** Set once silence was reported, cleared when the stream logs again. */
  silenceReported: boolean;
  /** Vocabulary entry name → per-actor counts (actors.ts). */
  actors: Map<string, ActorTable>;
  /** `templateId#slot` → measurement baseline (numeric_drift.ts). */
  numeric: Map<string, NumericSeries>;
  /** Incidents reported recently, into which repeats are folded (fold.ts). */
  incidents: OpenIncident[];
}

export function newStreamState(stream: string, service: string, host: string): StreamState {
  return {
    stream,
    service,
    host,
    windows: 0,
    totalLines: 0,
    lines: ewmaInit(0),
    errors: ewmaInit(0),
    totalErrors: 0,
    templates: new Map(),
    vocab: new Map(),
    vocabPast: new Map(),
    firstTime: 0,
    lastArrival: 0,
    silenceReported: false,
    actors: new Map(),
    numeric: new Map(),
    incidents: [],
  };
}

/** Long-run share of the stream's lines that had this template. */
export function templateShare(state: StreamState, id: string): number {
  const t = state.templates.get(id);
  return t && state.totalLines > 0 ? t.total / state.totalLines : 0;
}

export interface WindowCounts {
  /** Event time the window starts at, epoch ms. */
  start: number;
  lines: number;
  errors: number;
  /** Latest record time in the window, on the stream's axis. */
  arrival: number;
  templates: Map<string, number>;
}

/** Folds one analysed window into the stream's baselines. Call after the signals were computed against the old state. */
export function updateStreamState(state: StreamState, w: WindowCounts, alpha: number, maxTemplates: number): void {
  // Also set on the first window after loading state saved before firstTime existed.
  if (state.firstTime === 0) state.firstTime = w.start;
  if (state.windows === 0) {
    state.lines = ewmaInit(w.lines);
    state.errors = ewmaInit(w.errors);
  } else {
    ewmaUpdate(state.lines, w.lines, alpha);
    ewmaUpdate(state.errors, w.errors, alpha);
  }
  for (const [id, t] of state.templates) {
    const n = w.templates.get(id);
    if (n !== undefined && t.run.length === 0) t.runBase = { count: { ...t.count } };
    ewmaUpdate(t.count, n ?? 0, alpha);
    t.windows += 1;
    if (n === undefined && t.run.length > 0) {
      const lines = t.run.reduce((a, c) => a + c, 0);
      if (t.runs) ewmaUpdate(t.runs, lines, alpha);
      else t.runs = ewmaInit(lines);
      t.run = [];
      t.runBase = undefined;
    }
  }
  for (const [id, n] of w.templates) {
    let t = state.templates.get(id);
    if (!t) {
      // Start at the first count so a template that keeps its first rate is not a "spike" while the mean ramps up.
      t = { count: ewmaInit(n), total: 0, windows: 1, lastWindow: state.windows, present: ewmaInit(n), presentWindows: 0, run: [] };
      state.templates.set(id, t);
    } else if (t.presentWindows === 0) t.present = ewmaInit(n);
    else ewmaUpdate(t.present, n, alpha);
    t.presentWindows += 1;
    // A run longer than RUN_WINDOWS is the template's normal presence, no longer judged as a run.
    if (t.run.length < RUN_WINDOWS) t.run.push(n);
    if (t.run.length >= RUN_WINDOWS) t.runBase = undefined;
    t.total += n;
    t.lastWindow = state.windows;
  }
  if (state.templates.size > maxTemplates) evictTemplates(state, maxTemplates);

  if (state.windows > 0 && w.arrival > state.lastArrival) {
    const gap = w.arrival - state.lastArrival;
    if (state.interval) ewmaUpdate(state.interval, gap, alpha);
    else state.interval = ewmaInit(gap);
  }
  state.lastArrival = Math.max(state.lastArrival, w.arrival);
  state.windows += 1;
  state.totalLines += w.lines;
  state.totalErrors += w.errors;
  state.silenceReported = false;
}

/** Drops the template baselines that matter least: lowest current mean, then longest unseen. */
function evictTemplates(state: StreamState, maxTemplates: number): void {
  const ranked = [...state.templates.entries()].sort(
    (a, b) => a[1].count.mean - b[1].count.mean || a[1].lastWindow - b[1].lastWindow,
  );
  // totalLines is left alone: the kept templates' shares are still against every line the stream had.
  for (const [id] of ranked.slice(0, state.templates.size - maxTemplates)) state.templates.delete(id);
}

/** Every stream's state, least recently analysed evicted first once `max` is reached. */
export class StreamStates {
  private readonly cache: LRUCache<string, StreamState>;

  constructor(max: number) {
    this.cache = new LRUCache<string, StreamState>({ max });
  }

  get size(): number {
    return this.cache.size;
  }

  /** State for the stream, created if absent; marks it recently used. */
  obtain(stream: string, service: string, host: string): StreamState {
    let s = this.cache.get(stream);
    if (!s) {
      s = newStreamState(stream, service, host);
      this.cache.set(stream, s);
    }
    return s;
  }

  /** Without touching recency (for silence checks). */
  peek(stream: string): StreamState | undefined {
    return this.cache.peek(stream);
  }

  *values(): IterableIterator<StreamState> {
    for (const v of this.cache.values()) yield v;
  }

  toJSON(): SerializedStreamState[] {
    // Oldest first, so loading re-inserts in recency order.
    return [...this.cache.rvalues()].filter((s): s is StreamState => s !== undefined).map(serialize);
  }

  static fromJSON(data: unknown, max: number): StreamStates {
    const states = new StreamStates(max);
    for (const s of z.array(SerializedStreamStateSchema).parse(data)) states.cache.set(s.stream, deserialize(s));
    return states;
  }
}

const EwmaSchema = z.object({ mean: z.number(), variance: z.number() });
const SerializedStreamStateSchema = z.object({
  stream: z.string(),
  service: z.string(),
  host: z.string(),
  windows: z.number(),
  totalLines: z.number(),
  totalErrors: z.number(),
  lines: EwmaSchema,
  errors: EwmaSchema,
  templates: z.array(
    z.tuple([
      z.string(),
      z.object({
        count: EwmaSchema,
        total: z.number(),
        windows: z.number(),
        lastWindow: z.number(),
        // Older state files had no presence baseline: start it from the overall one.
        present: EwmaSchema.optional(),
        presentWindows: z.number().optional(),
        run: z.array(z.number()).default([]),
        runBase: z.object({ count: EwmaSchema }).optional(),
        runs: EwmaSchema.optional(),
      }),
    ]),
  ),
  // Earlier state files kept one timestamp per match; each becomes a bucket of one.
  vocab: z.array(z.tuple([z.string(), z.array(z.union([z.tuple([z.number(), z.number()]), z.number().transform((t): [number, number] => [t, 1])]))])),
  vocabPast: z.array(z.tuple([z.string(), z.number()])).default([]),
  firstTime: z.number().default(0),
  lastArrival: z.number(),
  interval: EwmaSchema.optional(),
  silenceReported: z.boolean(),
  actors: z
    .array(
      z.tuple([
        z.string(),
        z.object({
          actors: z.array(
            z.tuple([
              z.string(),
              z.object({
                kind: z.enum(['ip', 'user', 'host', 'path']),
                value: z.string(),
                times: z.array(z.number()),
                past: z.number(),
                first: z.number(),
                peers: z.array(z.string()),
                last: z.number(),
                episode: z.number(),
                flagged: z.boolean(),
                // Older state files counted lines, not attempts.
                attempt: z.object({ last: z.number(), templates: z.array(z.string()), burst: z.number().optional() }).default({ last: 0, templates: [] }),
              }),
            ]),
          ),
          settledMatches: z.number(),
          settledEpisodes: z.number(),
        }),
      ]),
    )
    .default([]),
  numeric: z
    .array(
      z.tuple([
        z.string(),
        z.object({
          template: z.string(),
          index: z.number(),
          name: z.string(),
          unit: z.enum(['', 'ms', 'bytes']),
          baseline: z.string(),
          recent: z.string().optional(),
          shifted: z.number(),
          reported: z.boolean(),
          lastWindow: z.number(),
        }),
      ]),
    )
    .default([]),
  incidents: z
    .array(
      z.object({
        family: z.string(),
        specificity: z.number(),
        severity: SeveritySchema,
        subjects: z.array(z.string()),
        templates: z.array(z.string()),
        reported: z.number(),
        last: z.number(),
        folded: z.number(),
      }),
    )
    .default([]),
});
type SerializedStreamState = z.infer<typeof SerializedStreamStateSchema>;

function serialize(s: StreamState): SerializedStreamState {
  return {
    ...s,
    templates: [...s.templates.entries()],
    vocab: [...s.vocab.entries()],
    vocabPast: [...s.vocabPast.entries()],
    actors: [...s.actors.entries()].map(([name, t]) => [name, { ...t, actors: [...t.actors.entries()] }]),
    numeric: [...s.numeric.entries()].map(([key, series]) => [key, serializeSeries(series)]),
  };
}

function deserialize(s: SerializedStreamState): StreamState {
  return {
    ...s,
    templates: new Map(
      s.templates.map(([id, t]) => [id, { ...t, present: t.present ?? { ...t.count }, presentWindows: t.presentWindows ?? t.windows }]),
    ),
    vocab: new Map(s.vocab),
    vocabPast: new Map(s.vocabPast),
    actors: new Map(s.actors.map(([name, t]) => [name, { ...newActorTable(), ...t, actors: new Map(t.actors) }])),
    numeric: new Map(s.numeric.map(([key, series]) => [key, deserializeSeries(series)])),
  };
}
