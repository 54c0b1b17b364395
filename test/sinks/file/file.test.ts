import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSinkOptionsSchema } from '../../../src/sinks/file/config.js';
import { createFileSink } from '../../../src/sinks/file/sink.js';
import type { AnomalyRecord } from '../../../src/sinks/record.js';
import { anomalyRecord, metricValue, testDeps } from '../support/helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-file-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(path: string): Promise<AnomalyRecord[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l));
}

describe('file sink', () => {
  it('appends NDJSON and rotates by size, keeping max_files old files, never splitting a line', async () => {
    const path = join(dir, 'nested', 'anomalies.ndjson');
    const deps = testDeps();
    const sink = createFileSink('file', FileSinkOptionsSchema.parse({ path, max_bytes: 4096, max_files: 2, batch_max_records: 3 }), deps);
    const recs = Array.from({ length: 30 }, (_, i) => anomalyRecord({ summary: `anomaly ${i}` }));
    const lineBytes = Buffer.byteLength(`${JSON.stringify(recs[0])}\n`);
    await sink.send(recs);
    await sink.close(5_000);

    expect((await readdir(join(dir, 'nested'))).sort()).toEqual(['anomalies.ndjson', 'anomalies.ndjson.1', 'anomalies.ndjson.2']);
    const perFile = Math.floor(4096 / lineBytes);
    const current = await lines(path);
    const older1 = await lines(`${path}.1`);
    const older2 = await lines(`${path}.2`);
    for (const p of [path, `${path}.1`, `${path}.2`]) expect((await stat(p)).size).toBeLessThanOrEqual(4096);
    expect(older1).toHaveLength(perFile);
    expect(older2).toHaveLength(perFile);
    const kept = [...older2, ...older1, ...current];
    expect(kept).toEqual(recs.slice(recs.length - kept.length));
    expect(current.length).toBe(recs.length % perFile || perFile);
    expect(await metricValue(deps, 'lookout_sink_records_sent_total', { sink: 'file' })).toBe(30);
  });

  it('continues an existing file and truncates instead of keeping history when max_files is 0', async () => {
    const path = join(dir, 'a.ndjson');
    const deps = testDeps();
    const first = createFileSink('f', FileSinkOptionsSchema.parse({ path, max_bytes: 1024 * 1024, max_files: 0 }), deps);
    const a = anomalyRecord();
    await first.send([a]);
    await first.close(5_000);
    const second = createFileSink('f', FileSinkOptionsSchema.parse({ path, max_bytes: 1024 * 1024, max_files: 0 }), deps);
    const b = anomalyRecord();
    await second.send([b]);
    await second.close(5_000);
    expect(await lines(path)).toEqual([a, b]);

    const tiny = join(dir, 'tiny.ndjson');
    const third = createFileSink('t', FileSinkOptionsSchema.parse({ path: tiny, max_bytes: 1024, max_files: 0, batch_max_records: 1 }), deps);
    const recs = [anomalyRecord(), anomalyRecord(), anomalyRecord()];
    await third.send(recs);
    await third.close(5_000);
    expect(await readdir(dir)).not.toContain('tiny.ndjson.1');
    expect(await lines(tiny)).toEqual([recs[2]]);
  });
});
