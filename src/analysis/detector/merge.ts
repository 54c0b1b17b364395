/**
 * One incident, one finding: signals of a window that describe one thing are
 * merged into one anomaly. Two signals describe one thing when they share a
 * template (a new ERROR line that is also a surge and an out-of-memory hit),
 * or when both are security findings about logins and access
 * (failed_authentication + invalid_user from one scan), or when a numeric
 * drift comes with errors, timeouts or a named failure (the heap climbing as
 * OutOfMemoryErrors are logged). The merged anomaly
 * keeps the wording, type and recommended action of the most specific signal
 * (a named failure such as out_of_memory over a measurement drift, over a new
 * or rare line, over a generic count of errors or lines), the worst severity
 * and highest score of the group, and the others' templates and evidence
 * (still capped). Result is sorted strongest first.
 */
import { SEVERITY_RANK } from '../anomaly.js';
import { MAX_EVIDENCE, worstSeverity, type Signal } from './signal.js';

/** How specific a signal type is; vocabulary entries not listed (custom ones) rank with the named failures. */
const SPECIFICITY: Record<string, number> = {
  rate_drop: 1,
  rare_template: 1,
  rate_spike: 2,
  error_rate: 2,
  severity_surge: 3,
  new_template: 4,
  numeric_drift: 5,
  timeout: 6,
  failed_authentication: 7,
  permission_denied: 8,
  invalid_user: 9,
};
const NAMED_FAILURE = 10;

export function specificity(type: string): number {
  return SPECIFICITY[type] ?? NAMED_FAILURE;
}

/** Findings that say the stream is failing, which a numeric drift of the same window joins. */
const FAILING = new Set(['error_rate', 'severity_surge', 'timeout']);

/** Findings about logins and access that one scan or attack raises together. */
const ACCESS = new Set(['failed_authentication', 'invalid_user', 'permission_denied']);

export function mergeSignals(signals: Signal[]): Signal[] {
  const parent = signals.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  signals.forEach((s, i) => {
    const keys = ACCESS.has(s.type) ? [...s.templates, '\u0000access'] : s.templates;
    for (const id of keys) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  // A measurement that shifted while the stream fails is a symptom of that failure (the heap before an OOM).
  const failing = signals.findIndex((s) => FAILING.has(s.type) || specificity(s.type) >= NAMED_FAILURE);
  if (failing >= 0) signals.forEach((s, i) => {
    if (s.type === 'numeric_drift') parent[find(i)] = find(failing);
  });
  const groups = new Map<number, Signal[]>();
  signals.forEach((s, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(s);
    else groups.set(root, [s]);
  });
  const merged = [...groups.values()].map((group) => {
    group.sort((a, b) => specificity(b.type) - specificity(a.type) || b.score - a.score);
    const [head, ...rest] = group;
    if (rest.length === 0) return head;
    const evidence = [...head.evidence];
    const templates = [...head.templates];
    const subjects = [...(head.subjects ?? [])];
    for (const s of rest) {
      for (const line of s.evidence) if (evidence.length < MAX_EVIDENCE && !evidence.includes(line)) evidence.push(line);
      for (const id of s.templates) if (!templates.includes(id)) templates.push(id);
      for (const a of s.subjects ?? []) if (!subjects.includes(a)) subjects.push(a);
    }
    const severity = worstSeverity(group.map((s) => s.severity), head.severity);
    const score = Math.max(...group.map((s) => s.score));
    return { ...head, severity, score, evidence, templates, ...(subjects.length > 0 ? { subjects } : {}) };
  });
  return merged.sort(
    (a, b) => b.score - a.score || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
}
