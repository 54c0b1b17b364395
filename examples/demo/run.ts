/**
 * `npm run demo`: starts Lookout on the embedded detector, replays the bundled
 * scenario (./scenario.ts, a simulated day with labelled incidents) into its
 * HTTP source as Vector would send it, prints each anomaly as it is emitted,
 * then a summary scored against the labels.
 *
 * Exit status: 0 when every incident was found and no alarm fired on a quiet
 * stretch, 1 otherwise, so a detection regression shows up in CI.
 */
import { generateScenario } from './scenario.js';
import { formatAnomaly, formatSummary } from './report.js';
import { WINDOW_SECONDS, replayScenario, streamTimes } from './replay.js';
import { scoreAnomalies } from './score.js';

const scenario = generateScenario();
const streams = new Set(scenario.events.map((e) => `${e.service}@${e.host}`));
process.stdout.write(
  `Lookout demo: replaying ${scenario.events.length} log lines from ${streams.size} streams (${scenario.start} → ${scenario.end}, seed ${scenario.seed})\n` +
    `into the HTTP source as Vector's http sink (NDJSON, gzip), embedded detector, ${WINDOW_SECONDS / 60}-minute event-time windows.\n\n`,
);
const started = Date.now();
const result = await replayScenario(scenario, { onAnomaly: (r) => process.stdout.write(formatAnomaly(r)) });
const score = scoreAnomalies(scenario.incidents, result.anomalies, streamTimes(scenario), WINDOW_SECONDS * 1000);
process.stdout.write(formatSummary(scenario.incidents, result.anomalies, score));
process.stdout.write(
  `replayed in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.sent.requests} requests (${result.sent.retries} retried), ` +
    `${result.shutdown.recordsReceived} records received, ${result.shutdown.recordsAnalyzed} analyzed\n`,
);
const missed = score.incidents.some((i) => !i.found);
process.exitCode = missed || score.falseAlarms.length > 0 || !result.shutdown.drained ? 1 : 0;
