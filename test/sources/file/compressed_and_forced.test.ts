/**
 * Compressed input read end to end (gzip with several members, zstd with
 * several frames, from a file and from stdin), corrupt input named with its
 * offset, and what reading says when a format does not fit: a forced format
 * that reads none of the first lines stops; lines a format does not read are
 * counted with the first one's line number.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSourceError, FormatMismatchError } from '../../../src/sources/file/errors.js';
import { emptyReadStats, readLogRecords, readParsedRecords, type ReadLogRecordsOptions } from '../../../src/sources/file/reader.js';
import type { LogRecord } from '../../../src/sources/record.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-compressed-'));
  await zstdInit();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const START = Date.UTC(2025, 2, 3, 4, 0, 0);

function log4jLines(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const t = new Date(START + i * 1500).toISOString().replace('T', ' ').replace('.', ',').slice(0, 23);
    return `${t} ${i % 10 === 0 ? 'ERROR' : 'INFO'} [worker-${i % 4}] com.acme.Sync: batch ${i} stored`;
  });
}

async function readAll(opts: ReadLogRecordsOptions): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const batch of readLogRecords({ now: () => START + 86_400_000, batchSize: 64, ...opts })) out.push(...batch);
  return out;
}

function expectLog4j(records: LogRecord[], n: number, service: string): void {
  expect(records).toHaveLength(n);
  records.forEach((r, i) => {
    expect(r.timestamp).toBe(START + i * 1500);
    expect(r.level).toBe(i % 10 === 0 ? 'error' : 'info');
    expect(r.service).toBe(service);
    expect(r.message).toBe(`batch ${i} stored`);
    expect(r.fields.component).toBe('com.acme.Sync');
    expect(r.fields.thread).toBe(`worker-${i % 4}`);
  });
}

describe('compressed input', () => {
  it('reads a .gz of two concatenated members, detecting log4j, with stats', async () => {
    const lines = log4jLines(3000);
    const path = join(dir, 'sync.log.gz');
    const half = `${lines.slice(0, 1700).join('\n')}\n`;
    const rest = `${lines.slice(1700).join('\n')}\n`;
    await writeFile(path, Buffer.concat([gzipSync(half), gzipSync(rest)]));
    const stats = emptyReadStats();
    const records = await readAll({ input: path, stats });
    expectLog4j(records, 3000, 'sync');
    expect(stats).toMatchObject({ format: 'log4j', detected: true, compression: 'gzip', lines: 3000, records: 3000, unparsed: 0 });
  });

  it('reads a .zst of several frames', async () => {
    const lines = log4jLines(2500);
    const path = join(dir, 'sync.log.zst');
    const frames = [lines.slice(0, 1000), lines.slice(1000)].map((part) => Buffer.from(zstdCompress(Buffer.from(`${part.join('\n')}\n`), 3)));
    await writeFile(path, Buffer.concat(frames));
    const stats = emptyReadStats();
    expectLog4j(await readAll({ input: path, stats }), 2500, 'sync');
    expect(stats.compression).toBe('zstd');
  });

  it('recognises compression by its magic bytes on stdin too', async () => {
    const body = gzipSync(`${log4jLines(50).join('\n')}\n`);
    // Split the gzip stream into small chunks, as a pipe delivers it.
    const chunks = Array.from({ length: Math.ceil(body.length / 37) }, (_, i) => body.subarray(i * 37, (i + 1) * 37));
    const records = await readAll({ input: '-', stdin: Readable.from(chunks) });
    expect(records).toHaveLength(50);
    expect(records[49].message).toBe('batch 49 stored');
  });

  it('names the compression and the offset when the data is corrupt or truncated', async () => {
    const good = gzipSync(`${log4jLines(2000).join('\n')}\n`);
    const path = join(dir, 'truncated.log.gz');
    await writeFile(path, good.subarray(0, Math.floor(good.length / 2)));
    const err = await readAll({ input: path }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FileSourceError);
    expect((err as FileSourceError).message).toMatch(/truncated\.log\.gz: gzip data is corrupt or truncated near compressed byte \d+/);

    const zpath = join(dir, 'corrupt.log.zst');
    const z = Buffer.from(zstdCompress(Buffer.from(`${log4jLines(2000).join('\n')}\n`), 3));
    z.fill(0xff, 20, 60);
    await writeFile(zpath, z);
    const zerr = await readAll({ input: zpath }).then(() => undefined, (e: unknown) => e);
    expect(zerr).toBeInstanceOf(FileSourceError);
    expect((zerr as FileSourceError).message).toMatch(/zstd data is corrupt/);
  });
});

describe('when the format does not fit', () => {
  it('a forced format that reads none of the first lines stops with the first line shown', async () => {
    const path = join(dir, 'syslog.log');
    await writeFile(path, '\nOct 11 22:14:15 web-1 sshd[4113]: Accepted publickey for deploy\nOct 11 22:14:16 web-1 sshd[4113]: session opened\n');
    const err = await readAll({ input: path, format: 'json' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FormatMismatchError);
    expect((err as Error).message).toBe(
      `${path}: format json reads none of the first 2 non-empty lines (line 2: "Oct 11 22:14:15 web-1 sshd[4113]: Accepted publickey for deploy"); pick another --format, or auto to detect it`,
    );
  });

  it('counts the lines a forced format does not read, and the first line number, keeping them as raw records', async () => {
    const lines = log4jLines(40);
    lines.splice(12, 0, 'garbage that is no log line');
    lines.splice(30, 0, '   at com.acme.Sync.run(Sync.java:10)', 'another stray line');
    const path = join(dir, 'mixed.log');
    await writeFile(path, `${lines.join('\n')}\n`);
    const stats = emptyReadStats();
    const records = await readAll({ input: path, format: 'log4j', stats });
    // 40 log4j records + 2 raw ones; the stack frame joins the record before it.
    expect(records).toHaveLength(42);
    expect(stats).toMatchObject({ format: 'log4j', detected: false, lines: 43, unparsed: 2, firstUnparsedLine: 13, untimed: 2 });
    expect(records.find((r) => r.message === 'garbage that is no log line')).toBeDefined();

    // The parsed-record API gives each record's first line: the stack frame joined the record on line 30.
    const lineOf = new Map<string, number>();
    for await (const batch of readParsedRecords({ input: path, format: 'log4j' })) batch.records.forEach((r, i) => lineOf.set(r.message, batch.lines[i]));
    expect(lineOf.get('batch 0 stored')).toBe(1);
    expect(lineOf.get('garbage that is no log line')).toBe(13);
    expect(lineOf.get('batch 28 stored\n   at com.acme.Sync.run(Sync.java:10)')).toBe(30);
    expect(lineOf.get('another stray line')).toBe(32);
    expect(lineOf.get('batch 39 stored')).toBe(43);
  });

  it('a user pattern with a strptime layout reads its lines', async () => {
    const path = join(dir, 'custom.log');
    await writeFile(path, 'host=edge-3 | 09/Mar/2025:14:02:11 +0100 | W | gateway | upstream slow\nnot matching\n');
    const stats = emptyReadStats();
    const records = await readAll({
      input: path,
      format: 'auto',
      pattern: {
        regex: String.raw`^host=(?<host>\S+) \| (?<timestamp>[^|]+?) \| (?<level>\w) \| (?<service>\S+) \| (?<message>.*)$`,
        timestamp_format: '%d/%b/%Y:%H:%M:%S %z',
      },
      stats,
    });
    expect(records[0]).toMatchObject({ host: 'edge-3', service: 'gateway', level: 'warn', message: 'upstream slow', timestamp: Date.UTC(2025, 2, 9, 13, 2, 11) });
    expect(stats).toMatchObject({ format: 'pattern', detected: false, unparsed: 1, firstUnparsedLine: 2 });
  });
});
