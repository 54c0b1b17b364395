/**
 * Actor-aware vocabulary counts: a vocabulary entry with an `actor_threshold`
 * (failed logins, unknown users, permission denials by default) is also
 * counted per actor — the IP address, user or host its lines name (see
 * params.ts) — across windows within the entry's span, and an actor alarms
 * when its count is far above how actors usually behave on this stream: the
 * population's mean matches per actor episode and the actor's own usual rate,
 * as Elastic ML's population analysis compares each member with its
 * population (https://www.elastic.co/guide/en/machine-learning/current/ml-configuring-populations.html).
 * So six failed logins of one account from one address over an hour alarm
 * while six users who each mistype once do not, and thirty failed logins for
 * thirty made-up names from two addresses alarm on the addresses.
 *
 * Bounded: each entry keeps at most `actors.top_k` actors (the one with the
 * fewest recent matches, then the longest quiet, makes room), each with at
 * most its matches within the span and a few co-occurring actors. Plain data
 * in `state.actors`, persisted with the baselines.
 */
import type { Severity } from '../anomaly.js';
import { poissonUpperTail } from './chance.js';
import type { VocabularyEntry } from './config.js';
import { isPrivateIp, type Actor } from './params.js';
import { MAX_EVIDENCE, aboutUsual, bandScore, plural, type Signal, type SignalContext } from './signal.js';

/** Co-occurring actors remembered per actor (the users one address tried). */
const MAX_PEERS = 32;
/**
 * One attempt often logs several line shapes within seconds (sshd: `Invalid user x from …`, `Failed password for
 * invalid user x …`, `Connection closed by invalid user x …`): lines of other shapes this close to the actor's
 * previous line are the same attempt, and a shape the attempt already logged starts the next one.
 */
const ATTEMPT_GAP_MS = 10_000;
const MAX_ATTEMPT_TEMPLATES = 8;
/**
 * Attempts less than this apart are one burst, whose second attempt does not count: anyone retries at once after a
 * typo, so a user's three failures before the right password count two, and two such sessions in an hour stay
 * below the bar, while a slow guesser's attempts minutes apart, or a scripted burst of seven, count in full (less one).
 */
const BURST_GAP_MS = 60_000;

/** Whether `hit` counts as a new match for the actor: a new attempt (see ATTEMPT_GAP_MS), and not beyond its burst's share. */
function counts(rec: ActorRecord, hit: ActorHit): boolean {
  const a = rec.attempt;
  const gap = hit.time - a.last;
  if (gap >= 0 && gap <= ATTEMPT_GAP_MS && !a.templates.includes(hit.template) && a.templates.length < MAX_ATTEMPT_TEMPLATES) {
    a.templates.push(hit.template);
    a.last = hit.time;
    return false;
  }
  const burst = gap >= 0 && gap <= BURST_GAP_MS ? (a.burst ?? 1) + 1 : 1;
  rec.attempt = { last: hit.time, templates: [hit.template], burst };
  return burst !== 2;
}

export interface ActorHit {
  time: number;
  actors: Actor[];
  message: string;
  template: string;
}

export interface ActorRecord {
  kind: Actor['kind'];
  value: string;
  /** Match times within the span, oldest first. */
  times: number[];
  /** Matches that left the span (the actor's own history). */
  past: number;
  /** First match time, epoch ms. */
  first: number;
  /** Distinct co-occurring actors (`kind value`) among the recent matches. */
  peers: string[];
  /** Latest match time, epoch ms: the episode ends once it is a span old. */
  last: number;
  /** Matches of the current episode that already left `times`. */
  episode: number;
  /** Reported during its current episode: its matches stay out of the population's history. */
  flagged: boolean;
  /** The actor's latest attempt: when its last line came, which line shapes it logged, its place in a burst (see `counts`). */
  attempt: { last: number; templates: string[]; burst?: number };
}

export interface ActorTable {
  actors: Map<string, ActorRecord>;
  /** Matches and episodes (an actor's run of matches within a span) that settled: the population's usual count per actor. */
  settledMatches: number;
  settledEpisodes: number;
}

export function newActorTable(): ActorTable {
  return { actors: new Map(), settledMatches: 0, settledEpisodes: 0 };
}

const keyOf = (a: Actor): string => `${a.kind} ${a.value}`;

/**
 * Folds this window's hits of `entry` into its actor table and returns a signal for the actors
 * that crossed their bar (undefined when none did). `onDistinct` receives each hit that brings an
 * none of whose actors was active within the span, for the stream-wide count.
 */
export function actorMatches(
  { state, cfg }: Pick<SignalContext, 'state' | 'cfg'>,
  entry: VocabularyEntry,
  hits: ActorHit[],
  spanMs: number,
  onDistinct: (hit: ActorHit) => void,
): Omit<Signal, 'recommended_action'> | undefined {
  let table = state.actors.get(entry.name);
  if (!table) {
    table = newActorTable();
    state.actors.set(entry.name, table);
  }
  const ordered = [...hits].sort((a, b) => a.time - b.time);
  // Actors not seen again still leave the span, so the population's history fills in.
  const cap = entry.actor_threshold ?? Infinity;
  if (ordered.length > 0) for (const rec of table.actors.values()) expire(table, rec, ordered[0].time - spanMs, cap);
  const touched = new Map<string, ActorHit[]>();
  for (const hit of ordered) {
    // Distinct for the stream-wide count only when none of its actors was active within the span.
    let fresh = true;
    for (const a of hit.actors) {
      const known = table.actors.get(keyOf(a));
      if (known && known.last >= hit.time - spanMs) fresh = false;
      const rec = obtain(table, a, hit.time, cfg.actors.top_k, cap);
      expire(table, rec, hit.time - spanMs, cap);
      // Counted per attempt, not per line (the lines one attempt logs are one match), an immediate retry not at all.
      if (counts(rec, hit)) rec.times.push(hit.time);
      rec.last = Math.max(rec.last, hit.time);
      for (const other of hit.actors) {
        const peer = keyOf(other);
        if (other !== a && rec.peers.length < MAX_PEERS && !rec.peers.includes(peer)) rec.peers.push(peer);
      }
      const list = touched.get(keyOf(a)) ?? [];
      list.push(hit);
      touched.set(keyOf(a), list);
    }
    if (fresh) onDistinct(hit);
  }
  const population = table.settledEpisodes > 0 ? table.settledMatches / table.settledEpisodes : 0;
  const fired: Array<{ rec: ActorRecord; count: number; needed: number; usual: number; hits: ActorHit[] }> = [];
  const threshold = cap;
  for (const [key, list] of touched) {
    const rec = table.actors.get(key);
    if (!rec) continue;
    // Own history covers from its first match to one span ago (later matches are still in `times`).
    const own = (rec.past * spanMs) / Math.max(spanMs, list[list.length - 1].time - spanMs - rec.first);
    const usual = Math.max(own, population);
    let needed = Math.max(threshold, Math.ceil(cfg.vocabulary_baseline_ratio * usual));
    while (poissonUpperTail(usual, needed) > cfg.actors.max_chance) needed++;
    if (rec.times.length >= needed) fired.push({ rec, count: rec.times.length, needed, usual, hits: list });
  }
  if (fired.length === 0) return undefined;
  fired.sort((a, b) => b.count / b.needed - a.count / a.needed || (a.rec.kind < b.rec.kind ? -1 : 1));
  const top = fired[0];
  const lines: string[] = [];
  const templates: string[] = [];
  for (const f of fired) {
    for (const h of f.hits) {
      if (lines.length < MAX_EVIDENCE && !lines.includes(h.message)) lines.push(h.message);
      if (!templates.includes(h.template)) templates.push(h.template);
    }
  }
  const what = entry.name.replaceAll('_', ' ');
  const others = fired.length > 1 ? `; also ${fired.slice(1, 4).map((f) => `${describe(f.rec)} (${f.count})`).join(', ')}` : '';
  const usualText = top.usual > 0 ? `, against ${aboutUsual(top.usual).replace(' usually', ` per ${top.rec.kind === 'ip' ? 'address' : top.rec.kind} usually`)}` : '';
  const outside = fired.some((f) => f.rec.kind === 'ip' && !isPrivateIp(f.rec.value));
  const severity: Severity = entry.severity;
  const summary =
    `${describe(top.rec)}${peersText(top.rec)} produced ${plural(top.count, 'line')} matching ${what} within ${entry.span_minutes} minutes ` +
    `on ${state.service} (${state.host})${usualText}${others}.`;
  for (const f of fired) {
    // Reported: the run restarts, and the actor's own history learns it, but the population's does not.
    f.rec.past += f.rec.times.length;
    f.rec.times = [];
    f.rec.peers = [];
    f.rec.flagged = true;
    f.rec.episode = 0;
  }
  return {
    type: entry.name,
    severity,
    score: bandScore(severity, Math.min(1, (top.count / top.needed - 1) / 2 + (outside ? 0.25 : 0))),
    summary,
    evidence: lines,
    templates,
    subjects: fired.map((f) => keyOf(f.rec)),
  };
}

function describe(rec: ActorRecord): string {
  if (rec.kind === 'ip') return `address ${rec.value}${isPrivateIp(rec.value) ? ' (internal)' : ' (outside)'}`;
  return `${rec.kind} ${rec.value}`;
}

function peersText(rec: ActorRecord): string {
  const users = rec.peers.filter((p) => p.startsWith('user ')).map((p) => p.slice(5));
  const ips = rec.peers.filter((p) => p.startsWith('ip ')).map((p) => p.slice(3));
  const parts: string[] = [];
  if (users.length === 1) parts.push(`for user ${users[0]}`);
  else if (users.length > 1) parts.push(`for ${users.length}${users.length >= MAX_PEERS ? '+' : ''} different users (${users.slice(0, 3).join(', ')}…)`);
  if (ips.length === 1) parts.push(`from ${ips[0]}${isPrivateIp(ips[0]) ? '' : ' (outside)'}`);
  else if (ips.length > 1) parts.push(`from ${ips.length} addresses`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function obtain(table: ActorTable, a: Actor, time: number, topK: number, cap: number): ActorRecord {
  const key = keyOf(a);
  let rec = table.actors.get(key);
  if (rec) return rec;
  if (table.actors.size >= topK) evict(table, cap);
  rec = { kind: a.kind, value: a.value, times: [], past: 0, first: time, peers: [], last: time, episode: 0, flagged: false, attempt: { last: 0, templates: [] } };
  table.actors.set(key, rec);
  return rec;
}

/**
 * Moves matches older than `cutoff` into the actor's history and, once its episode is over, into the
 * population's: at most `cap` matches an episode, and none from an actor reported in it, so one attacker
 * cannot raise the bar for the next.
 */
function expire(table: ActorTable, rec: ActorRecord, cutoff: number, cap: number): void {
  let n = 0;
  while (n < rec.times.length && rec.times[n] < cutoff) n++;
  if (n > 0) {
    rec.times.splice(0, n);
    rec.past += n;
    rec.episode += n;
  }
  if (rec.last >= cutoff || (rec.episode === 0 && !rec.flagged)) return;
  settleEpisode(table, rec, rec.episode, cap);
  rec.episode = 0;
  rec.flagged = false;
  rec.peers = [];
}

function settleEpisode(table: ActorTable, rec: ActorRecord, matches: number, cap: number): void {
  if (rec.flagged || matches === 0) return;
  table.settledMatches += Math.min(matches, cap);
  table.settledEpisodes += 1;
}

/** Makes room: the actor with the fewest recent matches goes, the longest quiet first; what it had settles. */
function evict(table: ActorTable, cap: number): void {
  let victim: string | undefined;
  let best: [number, number] = [Infinity, Infinity];
  for (const [key, rec] of table.actors) {
    const rank: [number, number] = [rec.times.length, rec.times[rec.times.length - 1] ?? rec.first];
    if (rank[0] < best[0] || (rank[0] === best[0] && rank[1] < best[1])) [victim, best] = [key, rank];
  }
  if (victim === undefined) return;
  const rec = table.actors.get(victim);
  if (rec) settleEpisode(table, rec, rec.episode + rec.times.length, cap);
  table.actors.delete(victim);
}
