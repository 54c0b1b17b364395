/**
 * Text output of the demo and the quality bench: one block per anomaly as it
 * is emitted, and the end-of-run summary (anomalies by severity and type,
 * incidents found or missed, false alarms, window-level figures). Pure: it
 * returns strings, the caller writes them.
 */
import type { AnomalyRecord } from '../../src/sinks/record.js';
import type { IncidentLabel } from './scenario.js';
import type { Score, ScoredAnomaly, WindowScore } from './score.js';

const hhmm = (iso: string) => iso.slice(11, 16);

/** `[11:35–11:40] HIGH payments@pay-1 severity_surge: …` and the first evidence line under it. */
export function formatAnomaly(r: AnomalyRecord): string {
  const head = `[${hhmm(r.window.start)}–${hhmm(r.window.end)}] ${r.anomaly.severity.toUpperCase().padEnd(8)} ${`${r.service.name}@${r.host.name}`.padEnd(17)} ${r.anomaly.type}: ${r.anomaly.summary}`;
  const evidence = r.anomaly.evidence[0];
  return evidence === undefined ? `${head}\n` : `${head}\n${' '.repeat(15)}└ ${evidence}\n`;
}

function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
}

function shortAlarm(a: ScoredAnomaly): string {
  return `[${hhmm(a.window.start)}–${hhmm(a.window.end)}] ${a.anomaly.severity} ${a.service.name}@${a.host.name} ${a.anomaly.type}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatWindowScore(w: WindowScore): string {
  return (
    `window-level (stream × 5-min box, ${w.units} units): precision ${pct(w.precision)}  recall ${pct(w.recall)}  F1 ${w.f1.toFixed(3)}` +
    `  (tp ${w.tp}, fp ${w.fp}, fn ${w.fn}, tn ${w.tn})\n`
  );
}

export function formatIncidents(incidents: readonly IncidentLabel<string>[], score: Score): string {
  let out = '';
  for (const inc of incidents) {
    const s = score.incidents.find((x) => x.id === inc.id);
    const verdict = s?.found ? `FOUND  first at ${hhmm(s.firstDetection ?? inc.start)} by ${s.types.join(', ')} (${s.anomalies} anomalies)` : 'MISSED';
    out += `  ${inc.id.padEnd(24)} ${hhmm(inc.start)}–${hhmm(inc.end)} ${`${inc.service}${inc.host ? `@${inc.host}` : ''}`.padEnd(17)} ${verdict}\n`;
    out += `      ${inc.description}\n`;
  }
  return out;
}

export function formatSummary(incidents: readonly IncidentLabel<string>[], anomalies: readonly AnomalyRecord[], score: Score): string {
  const found = score.incidents.filter((i) => i.found).length;
  let out = `\n── summary ──\n`;
  out += `anomalies: ${anomalies.length}  by severity: ${tally(anomalies.map((a) => a.anomaly.severity))}\n`;
  out += `           by type: ${tally(anomalies.map((a) => a.anomaly.type))}\n`;
  out += `incidents found: ${found}/${incidents.length}\n`;
  out += formatIncidents(incidents, score);
  out += `false alarms (outside every incident on their stream): ${score.falseAlarms.length}\n`;
  for (const a of score.falseAlarms) out += `  ${shortAlarm(a)}\n`;
  out += formatWindowScore(score.windows);
  return out;
}
