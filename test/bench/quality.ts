/**
 * Detection-quality bench: replays the demo scenario (examples/demo) through
 * Lookout on the embedded detector with its current thresholds and prints
 * window-level precision / recall / F1 against the scenario's incident
 * labels, per-incident found / missed and the false alarms, so every change
 * to a threshold shows its effect. The Loghub 2k samples in ../shared carry
 * no anomaly labels, which is said rather than scored.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIncidents, formatWindowScore } from '../../examples/demo/report.js';
import { WINDOW_SECONDS, demoConfig, replayScenario, streamTimes } from '../../examples/demo/replay.js';
import { generateScenario } from '../../examples/demo/scenario.js';
import { scoreAnomalies } from '../../examples/demo/score.js';
import { LOGHUB_DIR, haveLoghub } from './shared.js';

const out = (s: string) => process.stdout.write(s);

async function scenarioQuality(): Promise<void> {
  const config = demoConfig();
  const d = config.analysis.detector;
  const scenario = generateScenario();
  out(
    `scenario: seed ${scenario.seed}, ${scenario.events.length} lines, ${scenario.incidents.length} labelled incidents, ${WINDOW_SECONDS / 60}-min event-time windows\n` +
      `detector: warmup_windows ${d.warmup_windows}, rare.max_share ${d.rare.max_share}, rate.z_threshold ${d.rate.z_threshold}, ` +
      `rate.min_count ${d.rate.min_count}, surge.min_count ${d.surge.min_count}, surge.min_fraction ${d.surge.min_fraction}\n`,
  );
  const started = Date.now();
  const result = await replayScenario(scenario, { config });
  const score = scoreAnomalies(scenario.incidents, result.anomalies, streamTimes(scenario), WINDOW_SECONDS * 1000);
  out(formatWindowScore(score.windows));
  out(`incidents found: ${score.incidents.filter((i) => i.found).length}/${score.incidents.length}\n`);
  out(formatIncidents(scenario.incidents, score));
  const byType = new Map<string, number>();
  for (const a of score.falseAlarms) byType.set(a.anomaly.type, (byType.get(a.anomaly.type) ?? 0) + 1);
  out(
    `false alarms: ${score.falseAlarms.length}${byType.size ? ` (${[...byType].map(([t, n]) => `${t} ${n}`).join(', ')})` : ''}; ` +
      `anomalies: ${result.anomalies.length}; replay ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
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
