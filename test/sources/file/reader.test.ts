import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSourceError } from '../../../src/sources/file/errors.js';
import { readLogRecords, type ReadLogRecordsOptions } from '../../../src/sources/file/reader.js';
import type { LogRecord } from '../../../src/sources/record.js';

const OBSERVED = Date.UTC(2030, 0, 1);
const BASE = Date.UTC(2024, 4, 1, 0, 0, 0);
const SERVICES = ['payments', 'api', 'worker'];
const LEVELS = ['INFO', 'WARN', 'ERROR'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(opts: ReadLogRecordsOptions): Promise<LogRecord[][]> {
  const batches: LogRecord[][] = [];
  for await (const batch of readLogRecords({ now: () => OBSERVED, ...opts })) batches.push(batch);
  return batches;
}

function plainLine(i: number): string {
  const ts = new Date(BASE + i * 100).toISOString();
  return `${ts} ${LEVELS[i % 3]} ${SERVICES[i % 3]} request ${i} handled in ${i % 97} ms by worker pool ${i % 7}`;
}

describe('readLogRecords over a file', () => {
  const LINES = 60_000;
  let path: string;

  beforeAll(async () => {
    path = join(dir, 'big.log');
    const out = createWriteStream(path);
    for (let start = 0; start < LINES; start += 1000) {
      const block: string[] = [];
      for (let i = start; i < start + 1000; i++) block.push(plainLine(i));
      out.write(`${block.join('\n')}\n`);
    }
    out.end();
    await finished(out);
  });

  it('streams every line as a record, in batches, with its own timestamp', async () => {
    const size = (await stat(path)).size;
    expect(size).toBeGreaterThan(4 * 1024 * 1024);
    const progress: Array<[number, number | undefined]> = [];
    const formats: string[] = [];
    const batches = await readAll({
      input: path,
      batchSize: 1000,
      onProgress: (read, total) => progress.push([read, total]),
      onFormat: (f) => formats.push(f),
    });

    expect(formats).toEqual(['plain']);
    expect(batches.every((b) => b.length <= 1000)).toBe(true);
    expect(batches.slice(0, -1).every((b) => b.length === 1000)).toBe(true);
    const records = batches.flat();
    expect(records).toHaveLength(LINES);
    for (let i = 0; i < records.length; i += 997) {
      const r = records[i];
      expect(r.timestamp).toBe(BASE + i * 100);
      expect(r.service).toBe(SERVICES[i % 3]);
      expect(r.level).toBe(['info', 'warn', 'error'][i % 3]);
      expect(r.message).toBe(`request ${i} handled in ${i % 97} ms by worker pool ${i % 7}`);
      expect(r.source).toBe('file');
      expect(r.observedAt).toBe(OBSERVED);
      expect(r.fields.file).toBe(path);
    }
    for (let i = 1; i < records.length; i++) expect(records[i].timestamp).toBeGreaterThanOrEqual(records[i - 1].timestamp);

    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([size, size]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0]);
  });

  it('reads the same records without their field maps for a consumer that reads none', async () => {
    const [kept] = await readAll({ input: path, batchSize: 50 });
    const [dropped] = await readAll({ input: path, batchSize: 50, dropFields: true });
    expect(dropped.map((r) => r.fields)).toEqual(kept.map(() => ({})));
    expect(dropped.map(({ fields: _f, ...r }) => r)).toEqual(kept.map(({ fields: _f, ...r }) => r));
    expect(kept[0].fields.file).toBe(path);
  });

  it('honours an explicit format over detection', async () => {
    const [first] = await readAll({ input: path, format: 'raw', batchSize: 10 });
    expect(first[0].message).toBe(plainLine(0));
    expect(first[0].timestamp).toBe(OBSERVED);
  });

  it('stops reading when the consumer stops', async () => {
    let seen = 0;
    let lastRead = 0;
    for await (const batch of readLogRecords({ input: path, batchSize: 100, onProgress: (read) => (lastRead = read) })) {
      seen += batch.length;
      if (seen >= 300) break;
    }
    expect(seen).toBe(300);
    expect(lastRead).toBeLessThan((await stat(path)).size);
  });
});

describe('readLogRecords details', () => {
  it('gives records without a timestamp the previous one, or observedAt before any', async () => {
    const path = join(dir, 'gaps.log');
    await writeFile(
      path,
      [
        'starting up',
        '2024-05-01T12:00:00Z INFO api ready',
        'some unparsed line',
        '2024-05-01T12:00:05Z ERROR api failed',
        '\tat com.example.Api.run(Api.java:10)',
        'Caused by: java.io.IOException: reset',
        '2024-05-01T12:00:06Z INFO api recovered',
      ].join('\n'),
    );
    const records = (await readAll({ input: path })).flat();
    expect(records.map((r) => r.message)).toEqual([
      'starting up',
      'ready',
      'some unparsed line',
      'failed\n\tat com.example.Api.run(Api.java:10)\nCaused by: java.io.IOException: reset',
      'recovered',
    ]);
    expect(records.map((r) => r.timestamp)).toEqual([
      OBSERVED,
      Date.UTC(2024, 4, 1, 12),
      Date.UTC(2024, 4, 1, 12),
      Date.UTC(2024, 4, 1, 12, 0, 5),
      Date.UTC(2024, 4, 1, 12, 0, 6),
    ]);
    expect(records[0].service).toBe('gaps');
  });

  it('reads stdin when the input is -', async () => {
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ date: 1714564800 + i, log: `line ${i}\n`, kubernetes: { container_name: 'api' } }),
    );
    const stdin = Readable.from([Buffer.from(`${lines.slice(0, 10).join('\n')}\n`), Buffer.from(lines.slice(10).join('\n'))]);
    const progress: Array<number | undefined> = [];
    const formats: string[] = [];
    const records = (
      await readAll({ input: '-', stdin, batchSize: 7, onProgress: (_r, total) => progress.push(total), onFormat: (f) => formats.push(f) })
    ).flat();
    expect(formats).toEqual(['json']);
    expect(records).toHaveLength(30);
    expect(records[29]).toMatchObject({ message: 'line 29', service: 'api', timestamp: (1714564800 + 29) * 1000 });
    expect(records[0].fields).not.toHaveProperty('file');
    expect(progress.every((t) => t === undefined)).toBe(true);
  });

  it('reads CRI container logs with partial lines', async () => {
    const path = join(dir, 'api-7f_default_api-0123.log');
    await writeFile(
      path,
      [
        '2024-05-01T12:00:00.000000001Z stdout P {"level":"error",',
        '2024-05-01T12:00:00.000000002Z stdout F "msg":"boom"}',
        '2024-05-01T12:00:01.5Z stderr F WARN disk almost full',
      ].join('\n') + '\n',
    );
    const records = (await readAll({ input: path })).flat();
    expect(records.map((r) => r.message)).toEqual(['{"level":"error","msg":"boom"}', 'WARN disk almost full']);
    expect(records[1]).toMatchObject({ level: 'warn', timestamp: Date.UTC(2024, 4, 1, 12, 0, 1, 500), service: 'api-7f_default_api-0123' });
  });

  it('yields nothing for an empty file', async () => {
    const path = join(dir, 'empty.log');
    await writeFile(path, '');
    expect(await readAll({ input: path })).toEqual([]);
  });

  it('reports a missing file or a directory as FileSourceError', async () => {
    const missing = join(dir, 'nope.log');
    const err = await readAll({ input: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileSourceError);
    expect(err).toMatchObject({ path: missing, code: 'ENOENT' });
    expect((err as Error).message).toContain(missing);
    expect((err as Error).message).toContain('no such file');

    const isDir = await readAll({ input: dir }).catch((e: unknown) => e);
    expect(isDir).toBeInstanceOf(FileSourceError);
    expect(isDir).toMatchObject({ path: dir, code: 'EISDIR' });
  });
});
