/**
 * Detection-quality bench: replays two scenario families through Lookout on
 * the embedded detector with its current thresholds — the demo generator
 * (examples/demo/scenario.ts: the bundled day and other seeds, incident times
 * moved) and a held-out family written separately from the issue's text
 * (examples/demo/heldout.ts: other services, phrasing and rates) — and
 * prints per seed the incidents caught / missed, the false alarms (all, and
 * those of severity medium or worse) and window-level precision / recall /
 * F1; then caught / missed per incident kind and false alarms per signal, so
 * every change to a threshold shows its effect. The Loghub 2k samples in ../shared carry
 * no anomaly labels, which is said rather than scored.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIncidents, formatWindowScore } from '../../examples/demo/report.js';
import { WINDOW_SECONDS, demoConfig, replayScenario, streamTimes } from '../../examples/demo/replay.js';
import { HELDOUT_SEEDS, generateHeldOutDay } from '../../examples/demo/heldout.js';
import { DEFAULT_SEED, dayIncidents, generateScenario, type Scenario } from '../../examples/demo/scenario.js';
import { scoreAnomalies } from '../../examples/demo/score.js';
import type { AnomalyRecord } from '../../src/sinks/record.js';
import { SEVERITY_RANK } from '../../src/analysis/anomaly.js';
import { LOGHUB_DIR, haveLoghub } from './shared.js';

const out = (s: string) => process.stdout.write(s);

/** The bundled day, then held-out days: other seeds with the incident times moved (examples/demo/scenario.ts). */
const SEEDS = [DEFAULT_SEED, 1, 2, 3, 4];

const atLeastMedium = (a: Pick<AnomalyRecord, 'anomaly'>) => SEVERITY_RANK[a.anomaly.severity] >= SEVERITY_RANK.medium;

export interface Family {
  title: string;
  days: Array<{ seed: number; make: () => Scenario<string> }>;
}

/** The demo generator: the bundled day, then its other seeds with the incident times moved (examples/demo/scenario.ts). */
export const OWN: Family = {
  title: 'own generator (examples/demo/scenario.ts)',
  days: SEEDS.map((seed) => ({ seed, make: () => generateScenario({ seed, incidents: seed === DEFAULT_SEED ? undefined : dayIncidents(seed) }) })),
};

/** The held-out family, written from the issue's text alone (examples/demo/heldout.ts): other services, phrasing and rates. */
export const HELD_OUT: Family = {
  title: 'held-out family (examples/demo/heldout.ts)',
  days: HELDOUT_SEEDS.map((seed) => ({ seed, make: () => generateHeldOutDay(seed) })),
};

const per12h = (n: number, hours: number) => ((n * 12) / hours).toFixed(2);

export async function familyQuality(family: Family): Promise<void> {
  const config = demoConfig();
  out(`\n--- ${family.title} ---\n`);
  const perKind = new Map<string, { caught: number; missed: number; anomalies: number }>();
  const falseByType = new Map<string, number>();
  let hours = 0;
  let falseMedium = 0;
  for (const { seed, make } of family.days) {
    const scenario = make();
    const dayHours = (Date.parse(scenario.end) - Date.parse(scenario.start)) / 3_600_000;
    hours += dayHours;
    const started = Date.now();
    const result = await replayScenario(scenario, { config });
    const score = scoreAnomalies(scenario.incidents, result.anomalies, streamTimes(scenario), WINDOW_SECONDS * 1000);
    const caught = score.incidents.filter((i) => i.found).length;
    const medium = score.falseAlarms.filter(atLeastMedium);
    falseMedium += medium.length;
    out(
      `\nseed ${seed}: ${scenario.events.length} lines; caught ${caught}/${score.incidents.length}, missed ${score.incidents.length - caught}, ` +
        `false alarms ${score.falseAlarms.length} (${medium.length} >= medium, ${per12h(medium.length, dayHours)} per 12 h); anomalies ${result.anomalies.length}; ` +
        `replay ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    out(formatWindowScore(score.windows));
    out(formatIncidents(scenario.incidents, score));
    for (const a of score.falseAlarms) {
      out(`  false alarm: [${a.window.start.slice(11, 16)}] ${a.anomaly.severity} ${a.service.name}@${a.host.name} ${a.anomaly.type}: ${a.anomaly.summary}\n`);
      falseByType.set(a.anomaly.type, (falseByType.get(a.anomaly.type) ?? 0) + 1);
    }
    for (const i of score.incidents) {
      const k = perKind.get(i.kind) ?? { caught: 0, missed: 0, anomalies: 0 };
      if (i.found) k.caught++;
      else k.missed++;
      k.anomalies += i.anomalies;
      perKind.set(i.kind, k);
    }
  }
  out(`\nper incident kind over ${family.days.length} days (anomalies: findings overlapping the incident, what a pager would show):\n`);
  for (const [kind, k] of [...perKind].sort()) out(`  ${kind.padEnd(22)} caught ${k.caught}, missed ${k.missed}, anomalies ${k.anomalies}\n`);
  out(`false alarms by signal: ${[...falseByType].map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}\n`);
  out(`false alarms >= medium: ${falseMedium} in ${hours} simulated hours (${per12h(falseMedium, hours)} per 12 h)\n`);
}

async function scenarioQuality(): Promise<void> {
  const d = demoConfig().analysis.detector;
  out(
    `detector: warmup_windows ${d.warmup_windows}, rate.z_threshold ${d.rate.z_threshold}, rate.min_count ${d.rate.min_count}, ` +
      `numeric.min_ratio ${d.numeric.min_ratio}, actor thresholds ${d.vocabulary.filter((v) => v.actor_threshold).map((v) => `${v.name} ${v.actor_threshold}`).join(', ')}\n`,
  );
  await familyQuality(OWN);
  await familyQuality(HELD_OUT);
}

const LABEL_COLUMN = /^(label|anomaly|is_?anomaly|alert)$/i;

async function loghubLabels(): Promise<void> {
  out('\nloghub 2k samples:\n');
  if (!haveLoghub()) return;
  for (const name of (await readdir(LOGHUB_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const file = join(LOGHUB_DIR, name, `${name}_2k.log_structured.csv`);
    const header = (await readFile(file, 'utf8').catch(() => '')).split('\n', 1)[0].trim();
    if (!header) {
      out(`  ${name}: no structured CSV, skipped\n`);
      continue;
    }
    const columns = header.split(',');
    const label = columns.find((c) => LABEL_COLUMN.test(c));
    out(
      label
        ? `  ${name}: has a "${label}" column, but this bench scores only the scenario; add a scorer before quoting figures\n`
        : `  ${name}: no anomaly labels (columns: ${columns.join(', ')}); window precision/recall not computable, skipped\n`,
    );
  }
}

export async function benchQuality(): Promise<void> {
  await scenarioQuality();
  await loghubLabels();
}
