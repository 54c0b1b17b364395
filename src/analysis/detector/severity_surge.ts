/**
 * Severity-surge signal: ERROR / CRITICAL / FATAL lines concentrated in one
 * window. Works from the first window (a service that starts crash-looping
 * has no baseline); after warm-up the error fraction must also be
 * `surge.baseline_ratio` times the stream's usual one, so a stream that always
 * logs many errors stays quiet. `surge.min_fatal` critical/fatal lines alone
 * are a surge.
 */
import type { Severity } from '../anomaly.js';
import { bandScore, evidenceFrom, isErrorLevel, isFatalLevel, shorten, type Signal, type SignalContext } from './signal.js';

export function severitySurgeSignals({ summary, state, cfg }: SignalContext): Signal[] {
  const { surge } = cfg;
  if (!surge.enabled || summary.total === 0) return [];
  const fraction = summary.errors / summary.total;
  const usual = state.totalLines > 0 ? state.totalErrors / state.totalLines : 0;
  const warmedUp = state.windows >= cfg.warmup_windows;
  const concentrated =
    summary.errors >= surge.min_count && fraction >= surge.min_fraction && (!warmedUp || fraction >= surge.baseline_ratio * usual);
  const fatal = summary.fatal >= surge.min_fatal;
  if (!concentrated && !fatal) return [];

  const errs = summary.templates.filter((t) => (fatal ? isFatalLevel(t.level) : isErrorLevel(t.level)));
  const severity: Severity = fatal ? 'critical' : 'high';
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const text = fatal
    ? `${state.service} on ${state.host} logged ${summary.fatal} CRITICAL or FATAL lines in this window, starting with "${shorten(errs[0].template)}".`
    : `${summary.errors} of ${summary.total} lines from ${state.service} on ${state.host} were ERROR or worse (${pct(fraction)}${warmedUp ? ` against ${pct(usual)} usually` : ''}).`;
  return [
    {
      type: 'severity_surge',
      severity,
      score: bandScore(severity, fatal ? summary.fatal / (4 * surge.min_fatal) : fraction),
      summary: text,
      evidence: evidenceFrom(errs),
      recommended_action: `Look at the first failing operation in ${state.service} on ${state.host} ("${shorten(errs[0].template, 80)}") and what changed just before it; errors this concentrated usually share one cause.`,
      templates: errs.map((t) => t.id),
    },
  ];
}
