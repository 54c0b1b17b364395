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
 * under way never raises its own bar, and it is scaled up by how much busier
 * than usual the stream is now (typos follow traffic). The bar is also statistical: the count
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
import { actorMatches, type ActorHit } from './actors.js';
import { actorsOf, type Actor } from './params.js';
import { MAX_EVIDENCE, aboutUsual, bandScore, fillAction, interleave, plural, type Signal, type SignalContext } from './signal.js';

const BUCKETS_PER_SPAN = 240;

export interface CompiledVocabularyEntry {
  entry: VocabularyEntry;
  re: RegExp;
}

export function compileVocabulary(entries: VocabularyEntry[]): CompiledVocabularyEntry[] {
  return entries.map((entry) => ({ entry, re: new RegExp(entry.pattern, 'i') }));
}

/** Which entries a template's constant text matches, and whether its lines can still differ (a `<*>`, quoted string or path). */
interface TemplateVocabulary {
  text: string;
  always: boolean[];
  /** Some entry matches every line. */
  some: boolean;
  perLine: boolean;
}

const VARIABLE_TEXT = /<\*>|<str>|<path>|<url>|<email>/;

/**
 * Vocabulary matching by template, cached by template id: an entry that matches
 * a template's constant text matches every one of its lines, and a template
 * without free-text slots can match nothing else, so only lines of templates
 * with such slots are tested one by one, and only against the other entries.
 */
export class VocabularyMatcher {
  private readonly cache = new Map<string, TemplateVocabulary>();
  /** Every pattern in one: a line it misses matches no entry, so most lines cost one regex run, not one per entry. */
  private readonly any: RegExp;

  constructor(
    readonly entries: CompiledVocabularyEntry[],
    private readonly maxTemplates = 20_000,
  ) {
    this.any = new RegExp(entries.map(({ entry }) => `(?:${entry.pattern})`).join('|') || '(?!)', 'i');
  }

  /** Record indices per entry that match. */
  match(summary: SignalContext['summary']): number[][] {
    const out = this.entries.map((): number[] => []);
    const records = summary.window.records;
    for (let i = 0; i < records.length; i++) {
      const id = summary.recordTemplates[i];
      const prof = this.profile(id, summary.byId.get(id)?.template ?? '');
      const test = prof.perLine && this.any.test(records[i].message);
      if (!test && !prof.some) continue;
      for (let e = 0; e < this.entries.length; e++) {
        if (prof.always[e] || (test && this.entries[e].re.test(records[i].message))) out[e].push(i);
      }
    }
    return out;
  }

  /** Whether an entry that needs several matches (`threshold` > 1) counts every line of this template. */
  counts(id: string, text: string): boolean {
    const prof = this.profile(id, text);
    return this.entries.some(({ entry }, e) => prof.always[e] && entry.threshold > 1);
  }

  /** Whether an entry that counts per actor (failed logins) counts every line of this template. */
  countsActors(id: string, text: string): boolean {
    const prof = this.profile(id, text);
    return this.entries.some(({ entry }, e) => prof.always[e] && entry.actor_threshold !== undefined);
  }

  private profile(id: string, text: string): TemplateVocabulary {
    const cached = this.cache.get(id);
    if (cached && cached.text === text) return cached;
    const always = this.entries.map(({ re }) => re.test(text));
    const prof = { text, always, some: always.includes(true), perLine: VARIABLE_TEXT.test(text) };
    if (this.cache.size >= this.maxTemplates) this.cache.clear();
    this.cache.set(id, prof);
    return prof;
  }
}

export function vocabularySignals(ctx: SignalContext, matcher: VocabularyMatcher): Signal[] {
  const { summary, state, cfg } = ctx;
  const out: Signal[] = [];
  const records = summary.window.records;
  const warmedUp = state.windows >= cfg.warmup_windows;
  const matched = matcher.match(summary);
  matcher.entries.forEach(({ entry }, e) => {
    const indices = matched[e];
    if (indices.length === 0) return;
    // Matching lines per template, so the evidence shows each kind of match.
    const byTemplate = new Map<string, string[]>();
    const times: number[] = [];
    const hits: ActorHit[] = [];
    let latest = summary.window.end;
    for (const i of indices) {
      const r = records[i];
      latest = Math.max(latest, r.timestamp);
      const id = summary.recordTemplates[i];
      const lines = byTemplate.get(id) ?? [];
      if (lines.length < MAX_EVIDENCE && !lines.includes(r.message)) lines.push(r.message);
      byTemplate.set(id, lines);
      const actors: Actor[] = entry.actor_threshold ? actorsOf(r.message) : [];
      hits.push({ time: r.timestamp, actors, message: r.message, template: id });
    }
    const spanMs = entry.span_minutes * 60_000;
    // The stream-wide count takes each actor once per span: one user's three typos are one event, not three.
    const actorSignal = entry.actor_threshold ? actorMatches(ctx, entry, hits, spanMs, (h) => times.push(h.time)) : undefined;
    if (!entry.actor_threshold) for (const h of hits) times.push(h.time);
    if (actorSignal) out.push({ ...actorSignal, recommended_action: fillAction(entry.action, state) });
    if (times.length === 0) return;
    const all = addMatches(state.vocab.get(entry.name) ?? [], times, spanMs / BUCKETS_PER_SPAN);
    const buckets = all.filter(([t]) => t >= latest - spanMs);
    const counted = sumMatches(buckets);
    settle(state, entry.name, sumMatches(all) - counted);
    const usual = warmedUp ? usualPerSpan(state, entry.name, latest, spanMs) * trafficNow(state) : 0;
    const needed = unlikelyCount(usual, Math.max(entry.threshold, Math.ceil(cfg.vocabulary_baseline_ratio * usual)), cfg.vocabulary_max_chance);
    // Spread over many actors, a count means something only against the stream's usual one: one actor is
    // judged from the first line, the crowd after warm-up (an internet-facing sshd is scanned from its first minute).
    if (counted < needed || (entry.actor_threshold !== undefined && !warmedUp)) {
      state.vocab.set(entry.name, buckets);
      return;
    }
    state.vocab.delete(entry.name);
    settle(state, entry.name, counted);
    const against = needed > entry.threshold ? ` against ${aboutUsual(usual)}` : '';
    const what = entry.actor_threshold ? plural(counted, 'distinct event') : plural(counted, 'line');
    out.push({
      type: entry.name,
      severity: entry.severity,
      score: bandScore(entry.severity, Math.min(1, (counted / needed - 1) / 4)),
      summary: `${state.service} on ${state.host} logged ${what} matching ${entry.name.replaceAll('_', ' ')} within ${entry.span_minutes} minutes${against}, ${times.length} of them in this window.`,
      evidence: interleave([...byTemplate.values()]),
      recommended_action: fillAction(entry.action, state),
      templates: [...byTemplate.keys()],
    });
  });
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

/**
 * The entry's settled matches over the stream's lifetime, scaled to one span (a history shorter than a span counts
 * as one span). A rate read from a few matches is uncertain, and an underestimate turns an ordinary busy hour into
 * an alarm, so it is taken towards the upper end of its range: n settled matches count as n + sqrt(n + 1) / 2,
 * half a standard deviation above the count (4 → 5.1, 12 → 13.8, 100 → 105); none stays none.
 */
function usualPerSpan(state: StreamState, name: string, now: number, spanMs: number): number {
  const lifetime = Math.max(now - state.firstTime, spanMs);
  const n = state.vocabPast.get(name) ?? 0;
  // None so far stays none: a stream that never matched keeps the plain threshold (one OutOfMemoryError is news).
  return n === 0 ? 0 : ((n + Math.sqrt(n + 1) / 2) * spanMs) / lifetime;
}

/**
 * How busy the stream is now against its lifetime average (recent lines per window over all lines per window,
 * 1 to 20): everyday matches such as users' typos follow traffic, so the afternoon peak expects more of them than
 * the night, as the rate signal scales its baselines.
 */
function trafficNow(state: StreamState): number {
  const average = state.windows > 0 ? state.totalLines / state.windows : 0;
  return average > 0 ? Math.min(MAX_TRAFFIC_SCALE, Math.max(1, state.lines.mean / average)) : 1;
}

const MAX_TRAFFIC_SCALE = 20;

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
