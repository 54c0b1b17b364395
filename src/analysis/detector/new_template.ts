/**
 * New-template signal: a line shape the stream has never produced before,
 * once the stream is past its warm-up. A shape milder than ERROR must also be
 * unlikely to be a rare but normal line that the stream's history was too
 * short to have shown (`new_template.max_chance`, see chance.ts): a slow
 * stream's first benign WARN after a few hundred lines is learned quietly,
 * while the same line after weeks of history, or many of it at once, is news.
 * All new shapes of one window become a single anomaly (a deploy often brings
 * several at once), rated by the worst level among them.
 */
import { steadyRateChance } from './chance.js';
import { bandScore, isErrorLevel, evidenceFrom, levelRank, plural, severityForLevel, shorten, type Signal, type SignalContext } from './signal.js';

export function newTemplateSignals({ summary, state, cfg }: SignalContext): Signal[] {
  if (!cfg.new_template.enabled || state.windows < cfg.warmup_windows) return [];
  const fresh = summary.templates
    .filter(
      (t) =>
        !state.templates.has(t.id) &&
        (isErrorLevel(t.level) || steadyRateChance(0, t.count, summary.total, state.totalLines) <= cfg.new_template.max_chance),
    )
    .sort((a, b) => levelRank(b.level) - levelRank(a.level) || b.count - a.count);
  if (fresh.length === 0) return [];
  const worst = fresh[0];
  const severity = severityForLevel(worst.level);
  const where = `${state.service} on ${state.host}`;
  const text =
    fresh.length === 1
      ? `A kind of line never seen before appeared in ${where} ${plural(worst.count, 'time')}: "${shorten(worst.template)}".`
      : `${fresh.length} kinds of line never seen before appeared in ${where}, the worst at ${worst.level} level: "${shorten(worst.template)}".`;
  return [
    {
      type: 'new_template',
      severity,
      score: bandScore(severity, Math.min(1, fresh.length / 5 + Math.log10(1 + worst.count) / 4)),
      summary: text,
      evidence: evidenceFrom(fresh),
      recommended_action: `Check recent deploys, config changes or new traffic on ${state.service} (${state.host}) that explain the new log line${fresh.length === 1 ? '' : 's'}, starting with "${shorten(worst.template, 80)}".`,
      templates: fresh.map((t) => t.id),
    },
  ];
}
