/**
 * A readable table of anomalies for `lookout analyze` on a terminal: one row
 * per anomaly (window end time in UTC, severity, service, host, type, summary)
 * and under it the top evidence line. Every line fits `width` columns
 * (cells are cut with `…`), and log text is stripped of control characters
 * so a hostile log line cannot move the cursor or recolour the terminal. ANSI
 * colours only when asked (`color: true`). Rows are in time order. Pure.
 */
import type { Severity } from '../../analysis/anomaly.js';
import { SEVERITIES } from '../../analysis/anomaly.js';
import type { AnomalyRecord } from '../record.js';

export interface TableOptions {
  /** Terminal columns; every line is cut to fit. */
  width?: number;
  /** Colour severities with ANSI escapes. */
  color?: boolean;
}

const DEFAULT_WIDTH = 120;
const GAP = '  ';
const ELLIPSIS = '…';
const TIME_WIDTH = 19;
const SEVERITY_WIDTH = 8;
const CAPS = { service: 20, host: 16, type: 24 };
const MIN_SUMMARY = 12;
const EVIDENCE_MARK = '↳ ';

const RESET = '\x1b[0m';
const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
};
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';

/** Control characters (C0, DEL, C1) would let log content drive the terminal; whitespace runs collapse to one space. */
export function sanitizeCell(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function cut(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? ELLIPSIS : `${text.slice(0, width - 1)}${ELLIPSIS}`;
}

interface Segment {
  text: string;
  style?: string;
}

/** Joins segments, cutting the visible text to `width` and adding styles only around visible text. */
function renderLine(segments: Segment[], width: number, color: boolean): string {
  const plain = segments.map((s) => s.text).join('');
  if (!color) return cut(plain, width).trimEnd();
  let budget = plain.length > width ? width - 1 : plain.length;
  let out = '';
  for (const s of segments) {
    if (budget <= 0) break;
    const piece = s.text.slice(0, budget);
    budget -= piece.length;
    out += s.style ? `${s.style}${piece}${RESET}` : piece;
  }
  if (plain.length > width && width > 0) out += ELLIPSIS;
  return out.trimEnd();
}

function pad(text: string, width: number): string {
  return cut(text, width).padEnd(width);
}

function timeCell(iso: string): string {
  return iso.replace('T', ' ').slice(0, TIME_WIDTH);
}

export const NO_ANOMALIES = 'No anomalies found.\n';

export function renderAnomalyTable(records: readonly AnomalyRecord[], opts: TableOptions = {}): string {
  if (records.length === 0) return NO_ANOMALIES;
  const width = Math.max(1, opts.width ?? DEFAULT_WIDTH);
  const color = opts.color ?? false;
  const rows = [...records].sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp']));

  const colWidth = (key: keyof typeof CAPS, header: string, pick: (r: AnomalyRecord) => string): number =>
    Math.min(CAPS[key], rows.reduce((w, r) => Math.max(w, sanitizeCell(pick(r)).length), header.length));
  const serviceW = colWidth('service', 'SERVICE', (r) => r.service.name);
  const hostW = colWidth('host', 'HOST', (r) => r.host.name);
  const typeW = colWidth('type', 'TYPE', (r) => r.anomaly.type);
  const fixed = TIME_WIDTH + SEVERITY_WIDTH + serviceW + hostW + typeW + GAP.length * 5;
  const summaryW = Math.max(MIN_SUMMARY, width - fixed);
  const evidenceIndent = ' '.repeat(TIME_WIDTH + GAP.length);

  const lines: string[] = [];
  lines.push(
    renderLine(
      [
        {
          text: [
            pad('TIME (UTC)', TIME_WIDTH),
            pad('SEVERITY', SEVERITY_WIDTH),
            pad('SERVICE', serviceW),
            pad('HOST', hostW),
            pad('TYPE', typeW),
            'SUMMARY',
          ].join(GAP),
          style: BOLD,
        },
      ],
      width,
      color,
    ),
  );
  for (const r of rows) {
    lines.push(
      renderLine(
        [
          { text: pad(timeCell(r['@timestamp']), TIME_WIDTH) + GAP },
          { text: pad(r.anomaly.severity, SEVERITY_WIDTH), style: SEVERITY_COLOR[r.anomaly.severity] },
          {
            text:
              GAP +
              [
                pad(sanitizeCell(r.service.name), serviceW),
                pad(sanitizeCell(r.host.name), hostW),
                pad(sanitizeCell(r.anomaly.type), typeW),
                cut(sanitizeCell(r.anomaly.summary), summaryW),
              ].join(GAP),
          },
        ],
        width,
        color,
      ),
    );
    const evidence = r.anomaly.evidence.find((e) => sanitizeCell(e).length > 0);
    if (evidence !== undefined) {
      lines.push(renderLine([{ text: evidenceIndent }, { text: EVIDENCE_MARK + sanitizeCell(evidence), style: DIM }], width, color));
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface AnalyzeStats {
  /** Records read from the input. */
  records: number;
  windows: number;
  /** Anomalies found, by severity (counted rather than kept, so a long replay's summary costs no memory). */
  bySeverity: Partial<Record<Severity, number>>;
  elapsedMs?: number;
  /** The line format read (detected or chosen). */
  format?: string;
}

/** One line for stderr after a replay, e.g. `12,000 records, 48 windows, format plain, 1.4 s: 3 anomalies (1 critical, 2 high)`. */
export function renderSummary(stats: AnalyzeStats): string {
  const parts = [`${stats.records.toLocaleString('en-US')} records`, `${stats.windows.toLocaleString('en-US')} windows`];
  if (stats.format) parts.push(`format ${stats.format}`);
  if (stats.elapsedMs !== undefined) parts.push(`${(stats.elapsedMs / 1000).toFixed(1)} s`);
  const n = SEVERITIES.reduce((sum, s) => sum + (stats.bySeverity[s] ?? 0), 0);
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => [s, stats.bySeverity[s] ?? 0] as const)
    .filter(([, c]) => c > 0)
    .map(([s, c]) => `${c} ${s}`);
  const tail = n === 0 ? 'no anomalies' : `${n} ${n === 1 ? 'anomaly' : 'anomalies'} (${counts.join(', ')})`;
  return `${parts.join(', ')}: ${tail}\n`;
}
