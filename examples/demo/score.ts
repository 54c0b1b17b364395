/**
 * Scores emitted anomaly records against a scenario's incident labels. Pure.
 *
 * - An incident is found when an anomaly on one of its streams (its service
 *   and host, or a service/host in `also`) has a window overlapping
 *   [start, end].
 * - A false alarm is an anomaly whose window overlaps no incident on its own
 *   stream: an alarm on a quiet stretch.
 * - Window level: the unit is (stream, time box of `boxMs`) over every box in
 *   which the stream logged. A unit is positive when its box overlaps an
 *   incident on that stream, predicted positive when an anomaly's window
 *   starts in it; precision, recall and F1 follow.
 */
import type { AnomalyRecord } from '../../src/sinks/record.js';
import type { IncidentLabel, StreamRef } from './scenario.js';

/** The fields of an anomaly record the scoring reads. */
export type ScoredAnomaly = {
  service: Pick<AnomalyRecord['service'], 'name'>;
  host: Pick<AnomalyRecord['host'], 'name'>;
  window: Pick<AnomalyRecord['window'], 'start' | 'end'>;
  anomaly: Pick<AnomalyRecord['anomaly'], 'type' | 'severity'>;
};

/** One logged line's stream and time, enough to know which boxes exist. */
export interface StreamTime {
  service: string;
  host: string;
  /** Epoch ms. */
  time: number;
}

export interface IncidentScore {
  id: string;
  kind: string;
  found: boolean;
  /** Anomalies overlapping the incident on its streams. */
  anomalies: number;
  /** Window start of the earliest such anomaly, RFC 3339. */
  firstDetection?: string;
  types: string[];
}

export interface WindowScore {
  units: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Score<A extends ScoredAnomaly = ScoredAnomaly> {
  incidents: IncidentScore[];
  falseAlarms: A[];
  windows: WindowScore;
}

function scope(incident: IncidentLabel<string>): StreamRef[] {
  return [{ service: incident.service, host: incident.host }, ...(incident.also ?? [])];
}

function onStream(incident: IncidentLabel<string>, service: string, host: string): boolean {
  return scope(incident).some((s) => s.service === service && (s.host === undefined || s.host === host));
}

/** Closed intervals [a0, a1] and [b0, b1] share a moment. */
function overlaps(a0: number, a1: number, b0: number, b1: number): boolean {
  return a0 <= b1 && b0 <= a1;
}

function matches(incident: IncidentLabel<string>, a: ScoredAnomaly): boolean {
  return (
    onStream(incident, a.service.name, a.host.name) &&
    overlaps(Date.parse(a.window.start), Date.parse(a.window.end), Date.parse(incident.start), Date.parse(incident.end))
  );
}

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

export function scoreAnomalies<A extends ScoredAnomaly>(
  incidents: readonly IncidentLabel<string>[],
  anomalies: readonly A[],
  lines: Iterable<StreamTime>,
  boxMs: number,
): Score<A> {
  const incidentScores = incidents.map((inc): IncidentScore => {
    const hits = anomalies.filter((a) => matches(inc, a));
    const first = hits.reduce<number | undefined>((m, a) => Math.min(m ?? Infinity, Date.parse(a.window.start)), undefined);
    return {
      id: inc.id,
      kind: inc.kind,
      found: hits.length > 0,
      anomalies: hits.length,
      firstDetection: first === undefined ? undefined : new Date(first).toISOString(),
      types: [...new Set(hits.map((a) => a.anomaly.type))].sort(),
    };
  });
  const falseAlarms = anomalies.filter((a) => !incidents.some((inc) => matches(inc, a)));

  const key = (service: string, host: string, box: number) => `${service}\u0000${host}\u0000${box}`;
  const units = new Map<string, { service: string; host: string; box: number }>();
  for (const l of lines) {
    const box = Math.floor(l.time / boxMs) * boxMs;
    const k = key(l.service, l.host, box);
    if (!units.has(k)) units.set(k, { service: l.service, host: l.host, box });
  }
  const predicted = new Set<string>();
  for (const a of anomalies) {
    const box = Math.floor(Date.parse(a.window.start) / boxMs) * boxMs;
    const k = key(a.service.name, a.host.name, box);
    predicted.add(k);
    // A silence anomaly can name a box in which its stream logged nothing; it still counts.
    if (!units.has(k)) units.set(k, { service: a.service.name, host: a.host.name, box });
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const [k, u] of units) {
    const actual = incidents.some(
      (inc) => onStream(inc, u.service, u.host) && overlaps(u.box, u.box + boxMs - 1, Date.parse(inc.start), Date.parse(inc.end)),
    );
    const said = predicted.has(k);
    if (actual && said) tp++;
    else if (!actual && said) fp++;
    else if (actual) fn++;
    else tn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    incidents: incidentScores,
    falseAlarms,
    windows: { units: units.size, tp, fp, fn, tn, precision, recall, f1: ratio(2 * precision * recall, precision + recall) },
  };
}
