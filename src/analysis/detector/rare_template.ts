/**
 * Rare-template signal: a line shape the stream has produced before, but so
 * seldom (long-run share below `rare.max_share`) that its return is worth a
 * look — unless it returns at its usual pace: the chance that a steady share
 * brings this many of its lines into this window must be at most
 * `rare.max_chance` (see chance.ts). So a line logged once an hour is not
 * rare each hour, while one last seen a day of lines ago, or a burst of a
 * low-share line, is. Rated one step below a new template of the same level,
 * since it has been seen before.
 */
import type { Severity } from '../anomaly.js';
import { steadyRateChance } from './chance.js';
import { templateShare } from './stream_state.js';
import { bandScore, evidenceFrom, levelRank, severityForLevel, shorten, type Signal, type SignalContext } from './signal.js';

const ONE_STEP_DOWN: Record<Severity, Severity> = { low: 'low', medium: 'low', high: 'medium', critical: 'high' };

export function rareTemplateSignals({ summary, state, cfg }: SignalContext): Signal[] {
  const { rare } = cfg;
  if (!rare.enabled || state.windows < cfg.warmup_windows || state.totalLines < rare.min_stream_lines) return [];
  const found = summary.templates
    .filter((t) => {
      const earlier = state.templates.get(t.id)?.total;
      return (
        earlier !== undefined &&
        templateShare(state, t.id) < rare.max_share &&
        steadyRateChance(earlier, t.count, summary.total, state.totalLines) <= rare.max_chance
      );
    })
    .sort((a, b) => levelRank(b.level) - levelRank(a.level) || b.count - a.count);
  if (found.length === 0) return [];
  const worst = found[0];
  const share = templateShare(state, worst.id);
  const severity = ONE_STEP_DOWN[severityForLevel(worst.level)];
  const seen = state.templates.get(worst.id)?.total ?? 0;
  return [
    {
      type: 'rare_template',
      severity,
      score: bandScore(severity, 1 - share / rare.max_share),
      summary: `A rarely seen line in ${state.service} on ${state.host} came back (${seen} earlier out of ${state.totalLines} lines): "${shorten(worst.template)}".`,
      evidence: evidenceFrom(found),
      recommended_action: `Check what in ${state.service} on ${state.host} triggers "${shorten(worst.template, 80)}" and whether it follows a change or an unusual request.`,
      templates: found.map((t) => t.id),
    },
  ];
}
