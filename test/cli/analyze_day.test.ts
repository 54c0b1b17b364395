import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../examples/demo/scenario.js';
import { scoreAnomalies } from '../../examples/demo/score.js';
import { streamTimes } from '../../examples/demo/replay.js';
import { SEVERITY_RANK } from '../../src/analysis/anomaly.js';
import { DAY_TIMEOUT_MS, analyzeScenarioDay, tempDirForFile } from './support.js';

const dir = tempDirForFile('lookout-cli-day-');

describe('lookout analyze on a generated day', { timeout: DAY_TIMEOUT_MS }, () => {
  it('finds every injected incident and stays quiet (nothing medium or worse) on the traps', async () => {
    // A held-out day: another seed than the demo's, incidents at the demo's times.
    const scenario = generateScenario({ seed: 11 });
    const { result: r, anomalies } = await analyzeScenarioDay(scenario, dir(), DAY_TIMEOUT_MS - 10_000);
    expect(r.code, r.stderr).toBe(0);
    const score = scoreAnomalies(scenario.incidents, anomalies, streamTimes(scenario), 300_000);
    expect(score.incidents.filter((i) => !i.found).map((i) => i.id)).toEqual([]);
    const loud = score.falseAlarms.filter((a) => SEVERITY_RANK[a.anomaly.severity] >= SEVERITY_RANK.medium);
    expect(loud.map((a) => `${a.service.name} ${a.anomaly.type}: ${a.anomaly.summary}`)).toEqual([]);
    // Each kind is found by the signal built for it.
    const types = (kind: string) => score.incidents.find((i) => i.kind === kind)?.types ?? [];
    expect(types('brute_force')).toContain('failed_authentication');
    expect(types('credential_stuffing').some((t) => t === 'failed_authentication' || t === 'invalid_user')).toBe(true);
    expect(types('latency_drift')).toContain('numeric_drift');
    expect(types('consumer_lag')).toContain('numeric_drift');
    expect(types('privilege_escalation')).toContain('new_template');
    // Every finding names its template text, never a bare id.
    for (const a of anomalies) expect(a.anomaly.summary).not.toMatch(/\btemplate t[0-9a-f]{12}\b/);
  });
});
