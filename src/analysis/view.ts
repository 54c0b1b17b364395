/**
 * Compressed window view: the text an LLM reads instead of every raw line.
 * A header (stream, time range, line counts by level), the signals found with
 * their evidence lines verbatim, then the window's templates by count (ties
 * in time order) with first/last time and 1–3 real example lines. Pure and
 * deterministic: the same input always renders the same text (stable
 * ordering, UTC times), so prompts cache well and tests can compare layouts.
 */
import { LEVELS, type Level } from '../sources/record.js';
import type { Window } from '../windows/window.js';
import type { Anomaly } from './anomaly.js';

export interface ViewTemplate {
  id: string;
  template: string;
  count: number;
  /** Epoch ms of the template's first and last line in the window. */
  first: number;
  last: number;
  /** Real lines of the template from this window; at most 3 are shown. */
  examples: string[];
}

const MAX_EXAMPLES = 3;
/** Worst first, `unknown` last: the order a reader scans levels in. */
const LEVEL_ORDER: Level[] = [...LEVELS.filter((l) => l !== 'unknown').reverse(), 'unknown'];

export function renderWindowView(window: Window, templates: ViewTemplate[], anomalies: Anomaly[]): string {
  const fullTimes = utcDay(window.start) !== utcDay(window.end);
  const time = (ms: number) => (fullTimes ? iso(ms) : clock(ms));
  const out: string[] = [];

  out.push(`stream ${window.stream} (service ${window.service}, host ${window.host})`);
  const seconds = Math.max(0, Math.round((window.end - window.start) / 1000));
  out.push(`time ${iso(window.start)} to ${iso(window.end)} (${seconds}s, closed by ${window.closedBy})`);
  out.push(`lines ${window.records.length}${levelCounts(window)}`);

  if (anomalies.length > 0) {
    out.push('', `signals (${anomalies.length}):`);
    anomalies.forEach((a, i) => {
      const ids = a.templates.length > 0 ? ` [${a.templates.join(' ')}]` : '';
      out.push(`${i + 1}. ${a.severity} ${a.type} score ${a.score.toFixed(2)}${ids}: ${a.summary}`);
      for (const line of a.evidence) out.push(`  > ${line}`);
    });
  }

  // Equal counts (often the many one-off lines) read best in time order.
  const sorted = [...templates].sort((a, b) => b.count - a.count || a.first - b.first || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  out.push('', `templates (${sorted.length}, by count):`);
  for (const t of sorted) {
    const when = t.first === t.last ? time(t.first) : `${time(t.first)}-${time(t.last)}`;
    // A single line says more than its template, so it stands in for it.
    if (t.count === 1 && t.examples.length > 0) {
      out.push(`- ${t.id} x1 ${when}: ${t.examples[0]}`);
      continue;
    }
    out.push(`- ${t.id} x${t.count} ${when}: ${t.template}`);
    for (const line of t.examples.slice(0, MAX_EXAMPLES)) out.push(`  > ${line}`);
  }
  return out.join('\n') + '\n';
}

function levelCounts(window: Window): string {
  const counts = new Map<Level, number>();
  for (const r of window.records) counts.set(r.level, (counts.get(r.level) ?? 0) + 1);
  const parts = LEVEL_ORDER.filter((l) => counts.has(l)).map((l) => `${l} ${counts.get(l)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

function utcDay(ms: number): string {
  return iso(ms).slice(0, 10);
}

/** Time of day, milliseconds only when present. */
function clock(ms: number): string {
  const t = iso(ms).slice(11, 23);
  return t.endsWith('.000') ? t.slice(0, 8) : t;
}
