/**
 * The time model over a running Lookout (real HTTP source, windows, embedded
 * detector): records whose own clock is far from their arrival still raise
 * every signal, and are counted. Times are built relative to now, so the test
 * passes whatever the machine's date.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../src/analysis/detector/analyzer.js';
import { RecordingAnalyzer, startTestLookout, type TestLookout } from '../support/lookout.js';

const HOUR = 3_600_000;
const running: TestLookout[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.lookout.shutdown();
});

async function metricText(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

function post(url: string, events: object[]) {
  return fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
}

describe('one time axis per stream', () => {
  it('raises the critical out_of_memory alarm for a line 2 h old and for one 5 h behind written without an offset', async () => {
    const t = await startTestLookout({}, new RecordingAnalyzer(new EmbeddedAnalyzer()));
    running.push(t);
    const now = Date.now();
    const chatter = (host: string, at: (i: number) => string) =>
      Array.from({ length: 20 }, (_, i) => ({ service: 'api', host, timestamp: at(i), message: `GET /items/${i} 200 ${i}ms` }));
    // A Fluent Bit backlog replayed two hours late.
    const backlog = (i: number) => new Date(now - 2 * HOUR + i * 1000).toISOString();
    // A host in UTC-5 writing local time with no offset: read as UTC, 5 h behind.
    const localTime = (i: number) => new Date(now - 5 * HOUR + i * 1000).toISOString().replace('Z', '');
    const lines = [
      ...chatter('replayed', backlog),
      { service: 'api', host: 'replayed', timestamp: backlog(30), message: 'java.lang.OutOfMemoryError: Java heap space' },
      ...chatter('local', localTime),
      { service: 'api', host: 'local', timestamp: localTime(30), message: 'java.lang.OutOfMemoryError: Java heap space' },
    ];
    expect((await post(t.url, lines)).status).toBe(200);
    const metrics = await metricText(t.url);
    expect(metrics).toContain(`lookout_records_late_total{direction="late"} ${lines.length}`);
    const skew = (host: string) => Number(new RegExp(`lookout_stream_clock_skew_seconds\\{stream="api\\|${host}"\\} (\\S+)`).exec(metrics)?.[1]);
    expect(skew('replayed')).toBeGreaterThan(1.9 * 3600);
    expect(skew('local')).toBeGreaterThan(4.9 * 3600);

    await t.lookout.shutdown();
    const oom = t.emitter.records.filter((r) => r.anomaly.type === 'out_of_memory');
    expect(oom.map((r) => [r.host.name, r.anomaly.severity]).sort()).toEqual([
      ['local', 'critical'],
      ['replayed', 'critical'],
    ]);
    // Placed within the tolerance of arrival: the window and its anomaly sit at the time the lines arrived.
    for (const r of oom) expect(Date.parse(r.window.end)).toBeGreaterThanOrEqual(now - 60_000);
  });

  it('keeps a record within the tolerance at its own time, and counts nothing', async () => {
    const t = await startTestLookout({ windows: { clock_tolerance_seconds: 120 } });
    running.push(t);
    const own = Math.floor(Date.now() / 1000) * 1000 - 90_000;
    expect((await post(t.url, [{ service: 'api', host: 'h', timestamp: new Date(own).toISOString(), message: 'hello' }])).status).toBe(200);
    await t.lookout.shutdown();
    expect(t.analyzer.records[0].timestamp).toBe(own);
    expect(await t.lookout.metrics.recordsLate.get()).toMatchObject({ values: [] });
  });
});
