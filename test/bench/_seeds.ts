import { generateScenario } from '../../examples/demo/scenario.js';
import { WINDOW_SECONDS, replayScenario, streamTimes } from '../../examples/demo/replay.js';
import { scoreAnomalies } from '../../examples/demo/score.js';

const seeds = process.argv.slice(2).map((s) => (s === 'default' ? undefined : Number(s)));
for (const seed of seeds) {
  const scenario = generateScenario(seed === undefined ? {} : { seed });
  const result = await replayScenario(scenario);
  const score = scoreAnomalies(scenario.incidents, result.anomalies, streamTimes(scenario), WINDOW_SECONDS * 1000);
  const found = score.incidents.filter((i) => i.found).length;
  console.log(`seed ${scenario.seed}: found ${found}/${score.incidents.length}, false alarms ${score.falseAlarms.length}, anomalies ${result.anomalies.length}`);
  for (const i of score.incidents) if (!i.found) console.log(`  MISSED ${JSON.stringify(i).slice(0, 200)}`);
  for (const a of score.falseAlarms) console.log(`  FA ${a.anomaly.type} ${(a as any).anomaly.summary}`);
}
