/**
 * One ongoing incident, one finding: a finding that repeats one the stream
 * already reported — the same actor, or the same line shapes, of the same kind
 * of trouble — within `fold.minutes` of the incident's latest sign is folded
 * into it instead of being emitted again. A credential-stuffing run that keeps
 * crossing the failed-login bar for two hours, or an OutOfMemoryError logged
 * in every window, then pages once, as Alertmanager's grouping and
 * PagerDuty's dedup_key fold repeats of one alert into one incident
 * (https://prometheus.io/docs/alerting/latest/alertmanager/#grouping,
 * https://developer.pagerduty.com/docs/events-api-v2/overview/#deduplication).
 *
 * A repeat matches an open incident of the stream when:
 * - it names actors (the address or user behind failed logins): the same
 *   kind of finding about one of the same actors (another address is another
 *   finding);
 * - otherwise it shares a line shape with the incident and is the same kind,
 *   or a less specific one (a rate spike or a numeric drift of the lines an
 *   OutOfMemoryError already explained), see merge.ts's specificity.
 * A repeat that is more severe than what was reported is an escalation and is
 * emitted (and the incident takes its severity); so is the first repeat once
 * `fold.max_hours` passed since the incident was reported, saying how long it
 * has been going on and how many repeats were folded (a reminder, like
 * Alertmanager's repeat_interval). Bounded: at most MAX_INCIDENTS per stream,
 * closed ones dropped first; plain data in `state.incidents`, saved with the
 * baselines.
 */
import { SEVERITY_RANK } from '../anomaly.js';
import type { DetectorConfig } from './config.js';
import { specificity } from './merge.js';
import type { Signal } from './signal.js';
import type { StreamState } from './stream_state.js';

export interface OpenIncident {
  /** Kind of trouble: the finding's type, or `access` for the login and access findings one attack raises together. */
  family: string;
  /** The most specific type reported for it. */
  specificity: number;
  severity: Signal['severity'];
  /** Actors it named (`ip 1.2.3.4`), none for findings about line shapes. */
  subjects: string[];
  templates: string[];
  /** When it was last reported (emitted), and its latest sign (reported or folded), epoch ms. */
  reported: number;
  last: number;
  /** Repeats folded since it was last reported. */
  folded: number;
}

const MAX_INCIDENTS = 32;
const MAX_KEYS = 64;

const ACCESS = new Set(['failed_authentication', 'invalid_user', 'permission_denied']);

function family(type: string): string {
  return ACCESS.has(type) ? 'access' : type;
}

const overlaps = (a: readonly string[], b: readonly string[]): boolean => a.some((x) => b.includes(x));

function matches(inc: OpenIncident, s: Signal): boolean {
  if (s.subjects && s.subjects.length > 0) {
    return inc.family === family(s.type) && (inc.subjects.length === 0 ? overlaps(inc.templates, s.templates) : overlaps(inc.subjects, s.subjects));
  }
  return overlaps(inc.templates, s.templates) && (inc.family === family(s.type) || specificity(s.type) <= inc.specificity);
}

function addAll(into: string[], items: readonly string[]): void {
  for (const x of items) if (into.length < MAX_KEYS && !into.includes(x)) into.push(x);
}

/** The signals to emit at `now` (epoch ms, the window's end on the stream's axis); repeats are folded into `state.incidents`. */
export function foldRepeats(state: StreamState, signals: Signal[], now: number, cfg: DetectorConfig['fold']): Signal[] {
  if (cfg.minutes <= 0) return signals;
  const horizon = cfg.minutes * 60_000;
  const remind = cfg.max_hours * 3_600_000;
  state.incidents = state.incidents.filter((i) => now - i.last <= horizon);
  const out: Signal[] = [];
  for (const s of signals) {
    const inc = state.incidents.find((i) => matches(i, s));
    if (!inc) {
      out.push(s);
      state.incidents.push({
        family: family(s.type),
        specificity: specificity(s.type),
        severity: s.severity,
        subjects: [...(s.subjects ?? [])].slice(0, MAX_KEYS),
        templates: s.templates.slice(0, MAX_KEYS),
        reported: now,
        last: now,
        folded: 0,
      });
      continue;
    }
    inc.last = now;
    addAll(inc.templates, s.templates);
    addAll(inc.subjects, s.subjects ?? []);
    const escalates = SEVERITY_RANK[s.severity] > SEVERITY_RANK[inc.severity];
    if (!escalates && now - inc.reported < remind) {
      inc.folded += 1;
      continue;
    }
    const since = `Ongoing since ${new Date(inc.reported).toISOString()}${inc.folded > 0 ? ` (${inc.folded} repeat${inc.folded === 1 ? '' : 's'} folded)` : ''}: `;
    out.push({ ...s, summary: since + s.summary });
    if (escalates) inc.severity = s.severity;
    inc.specificity = Math.max(inc.specificity, specificity(s.type));
    inc.reported = now;
    inc.folded = 0;
  }
  if (state.incidents.length > MAX_INCIDENTS) {
    state.incidents.sort((a, b) => b.last - a.last);
    state.incidents.length = MAX_INCIDENTS;
  }
  return out;
}
