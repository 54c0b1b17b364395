/**
 * One anomaly per problem: signals that share a template (a new ERROR line
 * that is also a surge and a vocabulary hit) are merged into the strongest of
 * them, which keeps its type and wording and gains the others' templates and
 * evidence (still capped). Result is sorted strongest first.
 */
import { MAX_EVIDENCE, type Signal } from './signal.js';

export function mergeSignals(signals: Signal[]): Signal[] {
  const parent = signals.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  signals.forEach((s, i) => {
    for (const id of s.templates) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Signal[]>();
  signals.forEach((s, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(s);
    else groups.set(root, [s]);
  });
  const merged = [...groups.values()].map((group) => {
    group.sort((a, b) => b.score - a.score);
    const [head, ...rest] = group;
    if (rest.length === 0) return head;
    const evidence = [...head.evidence];
    const templates = [...head.templates];
    for (const s of rest) {
      for (const line of s.evidence) if (evidence.length < MAX_EVIDENCE && !evidence.includes(line)) evidence.push(line);
      for (const id of s.templates) if (!templates.includes(id)) templates.push(id);
    }
    return { ...head, evidence, templates };
  });
  return merged.sort((a, b) => b.score - a.score || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}
