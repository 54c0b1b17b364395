import { generateScenario, dayIncidents } from './examples/demo/scenario.js';
import { replayScenario } from './examples/demo/replay.js';
const seed = Number(process.argv[2] ?? 4);
const s = generateScenario({ seed, incidents: dayIncidents(seed) });
for (const e of s.events) if (e.service === 'auth' && e.message.includes('failed') && e.timestamp >= '2026-11-23T04:00' && e.timestamp < '2026-11-23T06:00') console.log(e.timestamp.slice(11,19), e.message);
const r = await replayScenario(s);
for (const a of r.anomalies) if (a.service.name === 'auth') console.log(a.window.start.slice(11,16), a.anomaly.severity, a.anomaly.type, a.anomaly.summary);
