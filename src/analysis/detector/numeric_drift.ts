/**
 * Numeric-drift signal ("number variation", as AWS CloudWatch Logs anomaly
 * detection calls it, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/LogsAnomalyDetection.html):
 * a measurement inside an otherwise normal line shape (a latency, a consumer
 * lag, a queue depth; see params.ts for which slots count) whose typical value
 * moved far from the template's own distribution and stayed there, with no
 * error line and no new shape to give it away.
 *
 * Per (template, slot) the stream keeps a DDSketch (Masson et al., VLDB 2019,
 * https://www.vldb.org/pvldb/vol12/p2195-masson.pdf; `@datadog/sketches-js`)
 * of every value seen while the series was normal: memory stays bounded
 * (a few hundred bins at 2 % relative accuracy) however many lines pass. A
 * window is shifted when its median is above the baseline's
 * `numeric.above_quantile` and at least `numeric.min_ratio` times its median;
 * `numeric.sustain_windows` shifted windows in a row raise one anomaly, with
 * the quantiles before and now in the summary. Shifted values stay out of the
 * baseline, so a slow climb cannot teach itself as normal; after
 * `numeric.adopt_windows` shifted windows in a row the new level becomes the
 * baseline (a lasting change, already reported once).
 */
import { LogCollapsingLowestDenseDDSketch, DDSketch } from '@datadog/sketches-js';
import type { Severity } from '../anomaly.js';
import { numericSlots, numericValues, type KeyedValue, type NumericSlot } from './params.js';
import { bandScore, shorten, type Signal, type SignalContext, type WindowTemplate } from './signal.js';

const RELATIVE_ACCURACY = 0.02;
const BIN_LIMIT = 512;

export interface NumericSeries {
  template: string;
  index: number;
  name: string;
  unit: NumericSlot['unit'];
  baseline: DDSketch;
  /** Values of the current run of shifted windows. */
  recent?: DDSketch;
  /** Shifted windows in a row. */
  shifted: number;
  /** Whether the current run was reported. */
  reported: boolean;
  /** StreamState.windows of the last window that had values (for eviction). */
  lastWindow: number;
}

/** Plain-data form, for state files and for moving state between threads. */
export interface SerializedNumericSeries {
  template: string;
  index: number;
  name: string;
  unit: NumericSlot['unit'];
  baseline: string;
  recent?: string;
  shifted: number;
  reported: boolean;
  lastWindow: number;
}

export function newSketch(): DDSketch {
  return new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: RELATIVE_ACCURACY, binLimit: BIN_LIMIT });
}

function encode(s: DDSketch): string {
  return Buffer.from(s.toProto()).toString('base64');
}

function decode(text: string): DDSketch {
  const s = newSketch();
  s.merge(DDSketch.fromProto(Buffer.from(text, 'base64')));
  return s;
}

export function serializeSeries(s: NumericSeries): SerializedNumericSeries {
  return { ...s, baseline: encode(s.baseline), recent: s.recent ? encode(s.recent) : undefined };
}

export function deserializeSeries(s: SerializedNumericSeries): NumericSeries {
  return { ...s, baseline: decode(s.baseline), recent: s.recent ? decode(s.recent) : undefined };
}

interface SlotValues {
  t: WindowTemplate;
  slot: NumericSlot;
  values: number[];
}

/** The values each template's measurement slots took in this window, keyed `templateId#index` (`#key` for a keyed `<*>`). */
export function windowValues({ summary }: Pick<SignalContext, 'summary'>): Map<string, SlotValues> {
  const out = new Map<string, SlotValues>();
  const shapes = new Map<
    string,
    { t: WindowTemplate; slots: NumericSlot[]; length: number; series: SlotValues[]; scratch: Array<number | undefined>; keys: Array<KeyedValue | undefined> } | null
  >();
  const records = summary.window.records;
  for (let i = 0; i < records.length; i++) {
    const id = summary.recordTemplates[i];
    let shape = shapes.get(id);
    if (shape === undefined) {
      const t = summary.byId.get(id);
      const slots = t ? numericSlots(t.template) : [];
      shape = null;
      if (t && slots.length > 0) {
        const series = slots.map((slot) => ({ t, slot, values: [] as number[] }));
        series.forEach((s) => {
          if (!s.slot.keyed) out.set(`${id}#${s.slot.index}`, s);
        });
        shape = { t, slots, length: t.template.split(' ').length, series, scratch: new Array(slots.length), keys: new Array(slots.length) };
      }
      shapes.set(id, shape);
    }
    if (shape === null || !numericValues(summary.recordTokens[i], shape.length, shape.slots, shape.scratch, shape.keys)) continue;
    for (let k = 0; k < shape.slots.length; k++) {
      const v = shape.scratch[k];
      if (v === undefined) continue;
      const slot = shape.slots[k];
      const kv = slot.keyed ? shape.keys[k] : undefined;
      if (!kv) {
        shape.series[k].values.push(v);
        continue;
      }
      const key = `${id}#${slot.index}#${kv.key}`;
      let s = out.get(key);
      if (!s) {
        s = { t: shape.t, slot: { index: slot.index, name: kv.key, unit: kv.unit }, values: [] };
        out.set(key, s);
      }
      s.values.push(v);
    }
  }
  for (const [key, s] of out) if (s.values.length === 0) out.delete(key);
  return out;
}

function median(sorted: number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * Tests every series with values in this window against its baseline and folds
 * the window in (this signal keeps its own state, like the vocabulary does).
 */
export function numericDriftSignals(ctx: SignalContext): Signal[] {
  const { summary, state, cfg } = ctx;
  const { numeric } = cfg;
  if (!numeric.enabled) return [];
  const found: Array<{ series: NumericSeries; t: WindowTemplate; ratio: number; now: { p50: number; p90: number }; before: { p50: number; p90: number } }> = [];
  for (const [key, { t, slot, values }] of windowValues(ctx)) {
    let series = state.numeric.get(key);
    if (!series) {
      if (state.numeric.size >= numeric.max_series) evictSeries(state.numeric);
      series = { template: t.id, index: slot.index, name: slot.name, unit: slot.unit, baseline: newSketch(), shifted: 0, reported: false, lastWindow: state.windows };
      state.numeric.set(key, series);
    }
    series.lastWindow = state.windows;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = median(sorted);
    const base = series.baseline;
    const ready = base.count >= numeric.min_baseline && values.length >= numeric.min_values && state.windows >= cfg.warmup_windows;
    const baseMid = ready ? base.getValueAtQuantile(0.5) : 0;
    const shifted = ready && mid > base.getValueAtQuantile(numeric.above_quantile) && mid >= numeric.min_ratio * Math.max(baseMid, Number.EPSILON);
    if (!shifted) {
      series.shifted = 0;
      series.reported = false;
      series.recent = undefined;
      for (const v of values) if (v >= 0) base.accept(v);
      continue;
    }
    series.shifted += 1;
    series.recent ??= newSketch();
    for (const v of values) if (v >= 0) series.recent.accept(v);
    if (series.shifted >= numeric.sustain_windows && !series.reported) {
      series.reported = true;
      found.push({
        series,
        t,
        ratio: mid / Math.max(baseMid, Number.EPSILON),
        now: { p50: series.recent.getValueAtQuantile(0.5), p90: series.recent.getValueAtQuantile(0.9) },
        before: { p50: baseMid, p90: base.getValueAtQuantile(0.9) },
      });
    }
    if (series.shifted >= numeric.adopt_windows) {
      series.baseline = series.recent;
      series.recent = undefined;
      series.shifted = 0;
    }
  }
  return found.sort((a, b) => b.ratio - a.ratio).slice(0, 1).map(({ series, t, ratio, now, before }) => {
    const others = found.length > 1 ? ` (${found.length - 1} other measurement${found.length === 2 ? '' : 's'} shifted too)` : '';
    const severity: Severity = ratio >= numeric.high_ratio ? 'high' : 'medium';
    const fmt = (v: number) => formatValue(v, series.unit);
    return {
      type: 'numeric_drift',
      severity,
      score: bandScore(severity, Math.min(1, Math.log10(ratio) / 2)),
      summary:
        `${series.name} in "${shorten(t.template)}" (${state.service} on ${state.host}) has been at p50 ${fmt(now.p50)} / p90 ${fmt(now.p90)} ` +
        `for ${series.shifted} windows, against p50 ${fmt(before.p50)} / p90 ${fmt(before.p90)} before (${ratio.toFixed(1)}x)${others}.`,
      evidence: t.lines.slice(0, 3),
      recommended_action: `Find what slows or backs up "${shorten(t.template, 80)}" in ${state.service} (${state.host}): a saturated dependency, a growing backlog, lock contention or a recent change; the line shape itself is unchanged.`,
      templates: found.map((f) => f.t.id),
    };
  });
}

function evictSeries(series: Map<string, NumericSeries>): void {
  let oldest: string | undefined;
  let at = Infinity;
  for (const [key, s] of series) if (s.lastWindow < at) [oldest, at] = [key, s.lastWindow];
  if (oldest !== undefined) series.delete(oldest);
}

export function formatValue(v: number, unit: NumericSlot['unit']): string {
  if (unit === 'ms') return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
  if (unit === 'bytes') return v >= 1e6 ? `${(v / 1e6).toFixed(1)} MB` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} kB` : `${Math.round(v)} B`;
  return v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}
