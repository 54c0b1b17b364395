/**
 * Slack message for one anomaly (incoming webhook payload with Block Kit,
 * https://api.slack.com/messaging/webhooks, https://api.slack.com/reference/block-kit/blocks):
 * severity, service and host, summary, the top evidence lines, the
 * recommended action, and a context line (type, window, id, suppressed count).
 * `text` is the plain fallback used in notifications. Text is escaped as Slack
 * mrkdwn requires (&, <, >) and cut to Slack's 3000-character block limit.
 */
import type { Severity } from '../../analysis/anomaly.js';
import type { AnomalyRecord } from '../record.js';

const ICON: Record<Severity, string> = { critical: ':red_circle:', high: ':large_orange_circle:', medium: ':large_yellow_circle:', low: ':white_circle:' };
const BLOCK_TEXT_MAX = 3000;
const EVIDENCE_LINE_MAX = 300;

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function slackMessage(record: AnomalyRecord, opts: { maxEvidence: number; criticalMention?: string }): SlackMessage {
  const a = record.anomaly;
  const service = record.service.name;
  const headline = `${a.severity.toUpperCase()} ${a.type} in ${service} on ${record.host.name}`;
  const mention = a.severity === 'critical' && opts.criticalMention ? `${opts.criticalMention} ` : '';
  const blocks: Array<Record<string, unknown>> = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`${mention}${ICON[a.severity]} *${escapeMrkdwn(headline)}*\n${escapeMrkdwn(a.summary)}`, BLOCK_TEXT_MAX) },
    },
  ];
  const evidence = a.evidence.slice(0, opts.maxEvidence).map((e) => escapeMrkdwn(cut(e.replace(/```/g, "'''"), EVIDENCE_LINE_MAX)));
  if (evidence.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(`*Evidence*\n\`\`\`${evidence.join('\n')}\`\`\``, BLOCK_TEXT_MAX) } });
  }
  if (a.recommended_action) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(`*Recommended action*\n${escapeMrkdwn(a.recommended_action)}`, BLOCK_TEXT_MAX) } });
  }
  const context = [
    `type \`${escapeMrkdwn(a.type)}\``,
    `score ${a.score.toFixed(2)}`,
    `window ${record.window.start} – ${record.window.end} (${record.window.lines} lines)`,
    `id ${a.id}`,
  ];
  if (a.suppressed_count) context.push(`${a.suppressed_count} similar suppressed`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(context.join(' · '), BLOCK_TEXT_MAX) }] });
  return { text: `${mention}${cut(`${headline}: ${a.summary}`, 1000)}`, blocks };
}
