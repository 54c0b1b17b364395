/**
 * Vocabulary signal: security and reliability phrases (failed authentication,
 * invalid user, out of memory, …, see config.ts) counted per stream across
 * windows, so five failed logins spread over an hour are caught even when no
 * single window looks bad. Fires when a window brings a match and the matches
 * within the entry's `span_minutes` reach its `threshold`; the counter then
 * restarts, so one burst is one anomaly. Ignores warm-up: these phrases matter
 * from the first line. Updates `state.vocab` (the only state a signal writes).
 */
import type { VocabularyEntry } from './config.js';
import type { StreamState } from './stream_state.js';
import { MAX_EVIDENCE, bandScore, fillAction, interleave, plural, type Signal, type WindowSummary } from './signal.js';

export interface CompiledVocabularyEntry {
  entry: VocabularyEntry;
  re: RegExp;
}

export function compileVocabulary(entries: VocabularyEntry[]): CompiledVocabularyEntry[] {
  return entries.map((entry) => ({ entry, re: new RegExp(entry.pattern, 'i') }));
}

export function vocabularySignals(summary: WindowSummary, state: StreamState, vocabulary: CompiledVocabularyEntry[]): Signal[] {
  const out: Signal[] = [];
  const records = summary.window.records;
  for (const { entry, re } of vocabulary) {
    // Matching lines per template, so the evidence shows each kind of match.
    const byTemplate = new Map<string, string[]>();
    let hits = 0;
    let latest = summary.window.end;
    let times = state.vocab.get(entry.name) ?? [];
    records.forEach((r, i) => {
      if (!re.test(r.message)) return;
      hits++;
      times.push(r.timestamp);
      latest = Math.max(latest, r.timestamp);
      const id = summary.recordTemplates[i];
      const lines = byTemplate.get(id) ?? [];
      if (lines.length < MAX_EVIDENCE && !lines.includes(r.message)) lines.push(r.message);
      byTemplate.set(id, lines);
    });
    if (hits === 0) continue;
    const spanMs = entry.span_minutes * 60_000;
    // Only the newest `threshold` matches can decide whether the threshold is reached, so that is all we keep.
    times = times.filter((t) => t >= latest - spanMs).sort((a, b) => a - b).slice(-entry.threshold);
    if (times.length >= entry.threshold) {
      state.vocab.delete(entry.name);
      const counted = Math.max(hits, times.length);
      out.push({
        type: entry.name,
        severity: entry.severity,
        score: bandScore(entry.severity, Math.min(1, (counted / entry.threshold - 1) / 4)),
        summary: `${state.service} on ${state.host} logged ${plural(counted, 'line')} matching ${entry.name.replaceAll('_', ' ')} within ${entry.span_minutes} minutes, ${hits} of them in this window.`,
        evidence: interleave([...byTemplate.values()]),
        recommended_action: fillAction(entry.action, state),
        templates: [...byTemplate.keys()],
      });
    } else {
      state.vocab.set(entry.name, times);
    }
  }
  return out;
}
