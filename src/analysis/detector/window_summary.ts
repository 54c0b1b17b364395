/**
 * Groups a window's records by template: counts, first/last time, worst level
 * and the first distinct lines of each. Pure; keeps only message strings, not
 * the records, so the result may outlive the window.
 */
import type { Window } from '../../windows/window.js';
import { MAX_EVIDENCE, isErrorLevel, isFatalLevel, levelRank, type WindowSummary, type WindowTemplate } from './signal.js';

export function summarizeWindow(window: Window, matches: ReadonlyArray<{ id: string; template: string; tokens: readonly string[] }>): WindowSummary {
  const byId = new Map<string, WindowTemplate>();
  const levels: WindowSummary['levels'] = {};
  let errors = 0;
  let fatal = 0;
  let arrival = 0;
  const recordTemplates: string[] = [];
  const recordTokens: Array<readonly string[]> = [];
  window.records.forEach((r, i) => {
    const m = matches[i];
    recordTemplates.push(m.id);
    recordTokens.push(m.tokens);
    levels[r.level] = (levels[r.level] ?? 0) + 1;
    if (isErrorLevel(r.level)) errors++;
    if (isFatalLevel(r.level)) fatal++;
    arrival = Math.max(arrival, r.timestamp);
    let t = byId.get(m.id);
    if (!t) {
      t = { id: m.id, template: m.template, count: 0, first: r.timestamp, last: r.timestamp, level: r.level, lines: [] };
      byId.set(m.id, t);
    }
    t.count++;
    t.first = Math.min(t.first, r.timestamp);
    t.last = Math.max(t.last, r.timestamp);
    // Worse lines displace milder ones as evidence, so an ERROR variant of a template is always shown.
    if (levelRank(r.level) > levelRank(t.level)) {
      t.level = r.level;
      t.lines = t.lines.filter((l) => l !== r.message);
      t.lines.unshift(r.message);
      if (t.lines.length > MAX_EVIDENCE) t.lines.pop();
    } else if (t.lines.length < MAX_EVIDENCE && !t.lines.includes(r.message)) {
      t.lines.push(r.message);
    }
  });
  const templates = [...byId.values()].sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { window, templates, byId, total: window.records.length, errors, fatal, levels, arrival, recordTemplates, recordTokens };
}
