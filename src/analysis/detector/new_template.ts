/**
 * New-template signal: a line shape the stream has never produced before,
 * once the stream is past its warm-up. A shape milder than ERROR must also be
 * unlikely to be a rare but normal line that the stream's history was too
 * short to have shown (`new_template.max_chance`, see chance.ts): a slow
 * stream's first benign WARN after a few hundred lines is learned quietly,
 * while the same line after weeks of history, or many of it at once, is news.
 * All new shapes of one window become a single anomaly (a deploy often brings
 * several at once), rated by the worst level among them.
 *
 * Some lines are decisive whatever their level: a new shape that speaks of
 * privilege, permission, authentication, integrity or data loss (`sudo: … :
 * command not allowed`, `checksum mismatch`, `lost 12 records`) is at least
 * medium on its own and skips the chance test, since one such line is the
 * incident. The words are matched once per new template, never per line.
 * A new shape milder than ERROR that a vocabulary entry already counts
 * (a first mistyped password, see vocabulary.ts) is left to that count: one
 * failed login is not news, five from one address are.
 */
import { SEVERITY_RANK as SEVERITY_ORDER, type Severity } from '../anomaly.js';
import { steadyRateChance } from './chance.js';
import {
  bandScore, isErrorLevel, evidenceFrom, levelRank, plural, severityForLevel, shorten, worstSeverity, type Signal, type SignalContext, type WindowTemplate,
} from './signal.js';

/**
 * Privilege, permission, authentication, integrity and data-loss wording, in its failing form only: "dropping
 * privileges" at start-up or "authentication succeeded" are not news.
 */
export const DECISIVE = new RegExp(
  [
    String.raw`\bsudo\b.*(?:not allowed|incorrect password|not in (?:the )?sudoers|authentication failure)`,
    String.raw`not in (?:the )?sudoers`,
    String.raw`privilege(?:s|d)? (?:escalation|violation|denied|check failed)|escalat(?:e|ed|ion) (?:to )?(?:root|privilege)`,
    String.raw`permission denied|access denied|not permitted|not allowed|unauthori[sz]ed|forbidden|\bEACCES\b|\bEPERM\b`,
    String.raw`auth(?:entication|orization)? (?:fail|error|denied|rejected)|failed password|invalid (?:credentials|password|token|signature)|signature (?:mismatch|invalid|verification failed)`,
    String.raw`checksum (?:mismatch|error|fail)|integrity (?:check )?(?:fail|error|violation|mismatch)|corrupt|tamper|hash mismatch`,
    String.raw`data loss|lost \S* ?(?:records|rows|writes|messages|events|data)|dropp(?:ed|ing) \S* ?(?:records|rows|writes|messages|events)|truncat(?:ed|ing) (?:file|table|log|wal)|inconsistent (?:state|data|replica)`,
  ].join('|'),
  'i',
);

function decisive(t: WindowTemplate): boolean {
  return DECISIVE.test(t.template) || t.lines.some((l) => DECISIVE.test(l));
}

function severityOf(t: WindowTemplate): Severity {
  return worstSeverity([severityForLevel(t.level)], decisive(t) ? 'medium' : 'low');
}

export function newTemplateSignals({ summary, state, cfg }: SignalContext, counted: (t: WindowTemplate) => boolean = () => false): Signal[] {
  if (!cfg.new_template.enabled || state.windows < cfg.warmup_windows) return [];
  const fresh = summary.templates
    .filter((t) => !state.templates.has(t.id) && (isErrorLevel(t.level) || !counted(t)))
    .filter((t) => isErrorLevel(t.level) || decisive(t) || steadyRateChance(0, t.count, summary.total, state.totalLines) <= cfg.new_template.max_chance)
    .map((t) => ({ t, severity: severityOf(t) }))
    .sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity] || levelRank(b.t.level) - levelRank(a.t.level) || b.t.count - a.t.count)
    .map(({ t }) => t);
  if (fresh.length === 0) return [];
  const worst = fresh[0];
  const severity = severityOf(worst);
  const where = `${state.service} on ${state.host}`;
  const text =
    fresh.length === 1
      ? `A kind of line never seen before appeared in ${where} ${plural(worst.count, 'time')}: "${shorten(worst.template)}".`
      : `${fresh.length} kinds of line never seen before appeared in ${where}, the worst at ${worst.level} level: "${shorten(worst.template)}".`;
  const why = severity !== severityForLevel(worst.level) ? ' It speaks of privilege, permission, authentication, integrity or data loss.' : '';
  return [
    {
      type: 'new_template',
      severity,
      score: bandScore(severity, Math.min(1, fresh.length / 5 + Math.log10(1 + worst.count) / 4)),
      summary: text + why,
      evidence: evidenceFrom(fresh),
      recommended_action: `Check recent deploys, config changes or new traffic on ${state.service} (${state.host}) that explain the new log line${fresh.length === 1 ? '' : 's'}, starting with "${shorten(worst.template, 80)}".`,
      templates: fresh.map((t) => t.id),
    },
  ];
}
