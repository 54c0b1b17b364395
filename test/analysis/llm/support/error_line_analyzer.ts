/**
 * A small honest inner analyzer for LLM tests: flags every line containing
 * ERROR as one `error_lines` anomaly, sends the window to the LLM when it
 * found one (or always, if asked), and builds a view from the raw lines plus a
 * "values" section listing each line's last token apart from its key, the way
 * a template miner lists parameters (so redaction must catch values out of
 * context).
 */
import type { Anomaly } from '../../../../src/analysis/anomaly.js';
import type { AnalysisResult, Analyzer } from '../../../../src/analysis/analyzer.js';
import type { LogRecord } from '../../../../src/sources/record.js';
import type { Window } from '../../../../src/windows/window.js';

export class ErrorLineAnalyzer implements Analyzer {
  readonly name = 'error-lines';
  calls = 0;

  constructor(private readonly opts: { sendAll?: boolean } = {}) {}

  async analyze(window: Window): Promise<AnalysisResult> {
    this.calls++;
    const lines = window.records.map((r) => r.message);
    const errors = lines.filter((l) => l.includes('ERROR'));
    const score = lines.length ? Math.min(1, errors.length / lines.length + (errors.length ? 0.5 : 0)) : 0;
    const anomalies: Anomaly[] = errors.length
      ? [
          {
            severity: 'high',
            type: 'error_lines',
            summary: `${errors.length} ERROR lines`,
            evidence: errors.slice(0, 5),
            recommended_action: 'Look at the ERROR lines.',
            score,
            templates: ['T1'],
            detector: 'embedded',
            analysis: 'full',
          },
        ]
      : [];
    const values = lines.map((l) => l.split(/[=\s]/).pop() ?? '').join(', ');
    return {
      window,
      health: errors.length ? 'degraded' : 'normal',
      score,
      anomalies,
      analyzer: this.name,
      gate: { send: errors.length > 0 || !!this.opts.sendAll, score, threshold: 0.5, reason: errors.length ? 'score' : this.opts.sendAll ? 'sample' : 'below' },
      view: `examples:\n${lines.join('\n')}\nvalues: ${values}`,
    };
  }
}

export function makeWindow(lines: string[], service = 'payments', host = 'web-1'): Window {
  const start = 1_718_000_000_000;
  const records: LogRecord[] = lines.map((message, i) => ({
    timestamp: start + i,
    observedAt: start + i,
    level: message.includes('ERROR') ? 'error' : 'info',
    service,
    host,
    message,
    fields: {},
    source: 'http',
    size: message.length,
  }));
  return { stream: `${service}|${host}`, service, host, start, end: start + lines.length, records, lines: records.length, closedBy: 'time' };
}
