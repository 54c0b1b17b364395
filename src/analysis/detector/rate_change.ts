/**
 * Rate-change signal: a template's count per window, or the window's count of
 * error-or-worse lines, far from its moving baseline (EWMA mean and variance,
 * see stream_state.ts). A spike needs a z-score at or above `rate.z_threshold`
 * (standard deviation floored by `rate.z_floor` and sqrt(mean)), at least
 * `rate.min_count` lines and `rate.min_ratio` times the mean; a drop needs a
 * busy baseline and the stream still logging. Both also need a Poisson tail
 * chance under the baseline mean of at most `rate.max_chance`, because for
 * small means the z-score alone lets through jumps that a day of tests over
 * every template makes routine. A WARN-or-worse shape that keeps coming
 * (in 3 to 6 windows in a row) is also judged on the sum of those windows
 * against the summed baseline, by the same tests: a disk warning once a
 * minute is 5 a window, too few to spike, but 20 in four windows from a
 * baseline of one a day is not chance. All template spikes of a window become one
 * anomaly, all drops another, error lines a third.
 */
import type { Severity } from '../anomaly.js';
import { poissonLowerTail, poissonUpperTail } from './chance.js';
import { RUN_WINDOWS, zScore, type Ewma, type TemplateBaseline } from './stream_state.js';
import type { DetectorConfig } from './config.js';
import {
  bandScore, evidenceFrom, isErrorLevel, levelRank, plural, severityForLevel, shorten, worstSeverity, type Signal, type SignalContext, type WindowTemplate,
} from './signal.js';

interface Spike {
  t: WindowTemplate;
  mean: number;
  z: number;
  /** Windows summed (1 for a spike of this window alone) and their lines. */
  windows: number;
  lines: number;
}

/** A warning kept up for at least this many windows in a row may be judged on their sum. */
const SUSTAIN_MIN = 3;

/** `byActor(t)`: a vocabulary entry counts the template's lines per actor (failed logins), see vocabulary.ts. */
export function rateChangeSignals(ctx: SignalContext, byActor: (t: WindowTemplate) => boolean = () => false): Signal[] {
  const { cfg, state } = ctx;
  if (!cfg.rate.enabled || state.windows < cfg.warmup_windows) return [];
  return [templateSpikes(ctx, byActor), templateDrops(ctx), errorRate(ctx)].filter((s): s is Signal => s !== undefined);
}

/** A count far above its baseline by every measure: z, size, ratio and improbability. */
function isSpike(baseline: Ewma, count: number, rate: DetectorConfig['rate']): { z: number } | undefined {
  const z = zScore(baseline, count, rate.z_floor);
  const far = z >= rate.z_threshold && count >= rate.min_count && count >= rate.min_ratio * baseline.mean;
  return far && poissonUpperTail(baseline.mean, count) <= rate.max_chance ? { z } : undefined;
}

function strength(z: number, threshold: number): number {
  return (Math.abs(z) - threshold) / (3 * threshold);
}

/**
 * Like with like: the baseline scaled to this window's traffic, measured by the stream's other lines, so a
 * daily peak that lifts every line shape is not a spike of each (only ever scaled up, and only when the others
 * are busy enough to measure).
 */
function trafficScale(summary: SignalContext['summary'], state: SignalContext['state'], t: WindowTemplate, mean: number): number {
  const othersUsual = state.lines.mean - mean;
  if (othersUsual < MIN_OTHERS) return 1;
  return Math.min(MAX_SCALE, Math.max(1, (summary.total - t.count) / othersUsual));
}

const MIN_OTHERS = 5;
/** A template absent from more than this share of its windows is not expected in every window. */
const ABSENT_OK = 0.01;
const MAX_SCALE = 20;
/** Below this share of windows a template is intermittent (a periodic job, an hourly report): compared with its own bursts. */
const INTERMITTENT = 0.8;

function scaled(e: Ewma, k: number): Ewma {
  return { mean: e.mean * k, variance: e.variance * k * k };
}

/** The baseline of a sum of `n` windows, each scaled by `k` (independent windows: mean and variance add up). */
function summed(e: Ewma, k: number, n: number): Ewma {
  return { mean: e.mean * k * n, variance: e.variance * k * k * n };
}

/** Far above its baseline in this window alone, or — a warning — summed over the windows in a row that had it. */
function spikeOf(t: WindowTemplate, b: TemplateBaseline, k: number, rate: DetectorConfig['rate'], byActor: boolean): Spike | undefined {
  const one = isSpike(scaled(b.count, k), t.count, rate);
  // A template that comes in bursts must also be out of line with its own bursts.
  const bursty = b.presentWindows > 0 && b.presentWindows < INTERMITTENT * b.windows;
  if (one && (!bursty || isSpike(scaled(b.present, k), t.count, rate))) return { t, mean: b.count.mean * k, z: one.z, windows: 1, lines: t.count };
  // Failed logins that keep coming are many users' typos in a busy hour or one actor's attack: the per-actor count judges them.
  if (byActor || levelRank(t.level) < levelRank('warn') || b.run.length + 1 < SUSTAIN_MIN || b.run.length >= RUN_WINDOWS || !b.runBase) return undefined;
  const n = b.run.length + 1;
  const lines = b.run.reduce((a, c) => a + c, t.count);
  // Against the baseline from before the run (the windows summed are not their own yardstick), and for a shape that
  // comes in runs of a few windows, against what such a run usually carries.
  const base = b.runBase;
  const sum = isSpike(summed(base.count, k, n), lines, rate);
  if (!sum || (bursty && b.runs && !isSpike(scaled(b.runs, k), lines, rate))) return undefined;
  return { t, mean: base.count.mean * k, z: sum.z, windows: n, lines };
}

function templateSpikes({ summary, state, cfg }: SignalContext, byActor: (t: WindowTemplate) => boolean): Signal | undefined {
  const { rate } = cfg;
  const spikes: Spike[] = [];
  for (const t of summary.templates) {
    const b = state.templates.get(t.id);
    if (!b || b.windows < cfg.warmup_windows) continue;
    const spike = spikeOf(t, b, trafficScale(summary, state, t, b.count.mean), rate, byActor(t));
    if (spike) spikes.push(spike);
  }
  if (spikes.length === 0) return undefined;
  spikes.sort((a, b) => b.z - a.z);
  const top = spikes[0];
  const severity = worstSeverity(spikes.map((s) => severityForLevel(s.t.level)), 'medium');
  const others = spikes.length > 1 ? `, with ${plural(spikes.length - 1, 'other line shape')} also up` : '';
  return {
    type: 'rate_spike',
    severity,
    score: bandScore(severity, strength(top.z, rate.z_threshold)),
    summary:
      top.windows === 1
        ? `"${shorten(top.t.template)}" in ${state.service} on ${state.host} jumped to ${top.t.count} lines from ${perWindow(top.mean)}${others}.`
        : `"${shorten(top.t.template)}" in ${state.service} on ${state.host} has kept coming for ${top.windows} windows in a row, ${top.lines} lines against ${perWindow(top.mean)}${others}.`,
    evidence: evidenceFrom(spikes.map((s) => s.t)),
    recommended_action: `Find what drives "${shorten(top.t.template, 80)}" in ${state.service} (${state.host}): a retry loop, a traffic surge or a failing dependency, and compare with the last deploy.`,
    templates: spikes.map((s) => s.t.id),
  };
}

/** "about 4.2 per window", and for a baseline under one "about one every 7 windows". */
function perWindow(mean: number): string {
  return mean >= 0.95 ? `about ${mean.toFixed(1)} per window` : mean >= 0.001 ? `about one every ${Math.round(1 / mean)} windows` : 'almost none before';
}

function templateDrops({ summary, state, cfg, text }: SignalContext): Signal | undefined {
  const { rate } = cfg;
  // Only when the stream itself still logs as usual; a stream that went quiet as a whole is a silence or a short window.
  if (summary.window.closedBy === 'shutdown' || summary.total < 0.5 * state.lines.mean) return undefined;
  const drops: Array<{ id: string; mean: number; count: number; z: number; t?: WindowTemplate }> = [];
  for (const [id, b] of state.templates) {
    if (b.windows < cfg.warmup_windows || b.count.mean < rate.drop_min_baseline) continue;
    // A template that was missing from windows before (a periodic job between runs) may be missing again.
    if (b.presentWindows < b.windows * (1 - ABSENT_OK)) continue;
    const t = summary.byId.get(id);
    const count = t?.count ?? 0;
    const z = zScore(b.count, count, rate.z_floor);
    if (count <= rate.drop_ratio * b.count.mean && z <= -rate.z_threshold && poissonLowerTail(b.count.mean, count) <= rate.max_chance) {
      drops.push({ id, mean: b.count.mean, count, z, t });
    }
  }
  if (drops.length === 0) return undefined;
  drops.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : 1));
  const top = drops[0];
  const severity: Severity = 'medium';
  const others = drops.length > 1 ? `, and ${plural(drops.length - 1, 'other usual line shape')} too` : '';
  return {
    type: 'rate_drop',
    severity,
    score: bandScore(severity, strength(top.z, rate.z_threshold)),
    summary: `"${shorten(text(top.id))}" in ${state.service} on ${state.host} fell to ${top.count} lines from ${perWindow(top.mean)} while the stream kept logging${others}.`,
    evidence: evidenceFrom(drops.flatMap((d) => (d.t ? [d.t] : []))),
    recommended_action: `Check whether the work behind "${shorten(text(top.id), 80)}" in ${state.service} (${state.host}) stopped: a stuck consumer, a disabled job or traffic routed elsewhere.`,
    templates: drops.map((d) => d.id),
  };
}

function errorRate({ summary, state, cfg }: SignalContext): Signal | undefined {
  const { rate } = cfg;
  // Errors follow traffic: at the daily peak the usual error count is higher too.
  const k = state.lines.mean >= MIN_OTHERS ? Math.min(MAX_SCALE, Math.max(1, summary.total / state.lines.mean)) : 1;
  const spike = isSpike(scaled(state.errors, k), summary.errors, rate);
  if (!spike) return undefined;
  const { z } = spike;
  const errs = summary.templates.filter((t) => isErrorLevel(t.level));
  const severity: Severity = summary.fatal > 0 ? 'critical' : 'high';
  return {
    type: 'error_rate',
    severity,
    score: bandScore(severity, strength(z, rate.z_threshold)),
    summary: `${state.service} on ${state.host} logged ${summary.errors} error lines in this window against ${perWindow(state.errors.mean * k).replace(' per window', '')} usually, mostly "${shorten(errs[0]?.template ?? '')}".`,
    evidence: evidenceFrom(errs),
    recommended_action: `Start from the most frequent error in ${state.service} on ${state.host} ("${shorten(errs[0]?.template ?? '', 80)}") and check the dependencies and deploys it points to.`,
    templates: errs.map((t) => t.id),
  };
}
