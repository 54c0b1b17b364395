/**
 * Vocabulary signal: security and reliability phrases (failed authentication,
 * invalid user, out of memory, …, see config.ts) counted per stream across
 * windows, so five failed logins spread over an hour are caught even when no
 * single window looks bad. Fires when a window brings a match and the matches
 * within the entry's `span_minutes` reach its `threshold`; the counter then
 * restarts, so one burst is one anomaly. Works from the first line: these
 * phrases matter before any baseline exists.
 *
 * After warm-up the bar is also relative: at least `vocabulary_baseline_ratio`
 * times the stream's usual matches per span, so an SSH server scanned all day
 * long does not alarm all day, while a service whose users mistype a password
 * twice an hour still alarms on a slow brute force. The usual rate counts
 * only matches that left the running count (older than the span, or already
 * reported) over the stream's lifetime in event time, so a slow burst still
 * under way never raises its own bar. The bar is also statistical: the count
 * must be a chance of at most `vocabulary_max_chance` were matches Poisson at
 * that usual rate (`poissonUpperTail`), because at one or two matches a span
 * the ratio alone lets an everyday cluster of five through, while a stream
 * that never matched keeps the plain threshold (a zero rate makes any match
 * impossible by chance).
 *
 * Recent matches are kept as time buckets of span / BUCKETS_PER_SPAN (a match
 * near the span's edge may be counted up to one bucket early), so memory per
 * entry stays bounded however busy the stream. Updates `state.vocab` and
 * `state.vocabPast` (the only state a signal writes).
 */
import type { VocabularyEntry } from './config.js';
import type { StreamState } from './stream_state.js';
import { poissonUpperTail } from './chance.js';
import { MAX_EVIDENCE, bandScore, fillAction, interleave, plural, type Signal, type SignalContext } from './signal.js';

const BUCKETS_PER_SPAN = 240;

export interface CompiledVocabularyEntry {
  entry: VocabularyEntry;
  re: RegExp;
}

export function compileVocabulary(entries: VocabularyEntry[]): CompiledVocabularyEntry[] {
  return entries.map((entry) => ({ entry, re: new RegExp(entry.pattern, 'i') }));
}

export function vocabularySignals({ summary, state, cfg }: SignalContext, vocabulary: CompiledVocabularyEntry[]): Signal[] {
  const out: Signal[] = [];
  const records = summary.window.records;
  const warmedUp = state.windows >= cfg.warmup_windows;
  for (const { entry, re } of vocabulary) {
    // Matching lines per template, so the evidence shows each kind of match.
    const byTemplate = new Map<string, string[]>();
    const times: number[] = [];
    let latest = summary.window.end;
    records.forEach((r, i) => {
      if (!re.test(r.message)) return;
      times.push(r.timestamp);
      latest = Math.max(latest, r.timestamp);
      const id = summary.recordTemplates[i];
      const lines = byTemplate.get(id) ?? [];
      if (lines.length < MAX_EVIDENCE && !lines.includes(r.message)) lines.push(r.message);
      byTemplate.set(id, lines);
    });
    const hits = times.length;
    if (hits === 0) continue;
    const spanMs = entry.span_minutes * 60_000;
    const all = addMatches(state.vocab.get(entry.name) ?? [], times, spanMs / BUCKETS_PER_SPAN);
    const buckets = all.filter(([t]) => t >= latest - spanMs);
    const counted = sumMatches(buckets);
    settle(state, entry.name, sumMatches(all) - counted);
    const usual = warmedUp ? usualPerSpan(state, entry.name, latest, spanMs) : 0;
    const needed = unlikelyCount(usual, Math.max(entry.threshold, Math.ceil(cfg.vocabulary_baseline_ratio * usual)), cfg.vocabulary_max_chance);
    if (counted < needed) {
      state.vocab.set(entry.name, buckets);
      continue;
    }
    state.vocab.delete(entry.name);
    settle(state, entry.name, counted);
    const against = needed > entry.threshold ? ` against about ${usual.toFixed(1)} usually` : '';
    out.push({
      type: entry.name,
      severity: entry.severity,
      score: bandScore(entry.severity, Math.min(1, (counted / needed - 1) / 4)),
      summary: `${state.service} on ${state.host} logged ${plural(counted, 'line')} matching ${entry.name.replaceAll('_', ' ')} within ${entry.span_minutes} minutes${against}, ${hits} of them in this window.`,
      evidence: interleave([...byTemplate.values()]),
      recommended_action: fillAction(entry.action, state),
      templates: [...byTemplate.keys()],
    });
  }
  return out;
}

/**
 * The least count from `floor` up that Poisson matches at `usual` per span reach with a chance of at most `maxChance`.
 * The tail only falls as the count grows and reaches 0 (below any `maxChance`), so the loop ends; from a floor at
 * or past the mean (the baseline ratio is at least 1) it is a few steps.
 */
function unlikelyCount(usual: number, floor: number, maxChance: number): number {
  let k = floor;
  while (poissonUpperTail(usual, k) > maxChance) k++;
  return k;
}

/** The entry's settled matches over the stream's lifetime, scaled to one span (a history shorter than a span counts as one span). */
function usualPerSpan(state: StreamState, name: string, now: number, spanMs: number): number {
  const lifetime = Math.max(now - state.firstTime, spanMs);
  return ((state.vocabPast.get(name) ?? 0) * spanMs) / lifetime;
}

function settle(state: StreamState, name: string, matches: number): void {
  if (matches > 0) state.vocabPast.set(name, (state.vocabPast.get(name) ?? 0) + matches);
}

function sumMatches(buckets: Array<[number, number]>): number {
  return buckets.reduce((sum, [, n]) => sum + n, 0);
}

/** Folds match times into [latest time, count] buckets of `width` ms, oldest first. */
function addMatches(buckets: Array<[number, number]>, times: number[], width: number): Array<[number, number]> {
  const all: Array<[number, number]> = [...buckets, ...times.map((t): [number, number] => [t, 1])].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [t, n] of all) {
    const last = out[out.length - 1];
    if (last && Math.floor(last[0] / width) === Math.floor(t / width)) {
      last[0] = t;
      last[1] += n;
    } else {
      out.push([t, n]);
    }
  }
  return out;
}
