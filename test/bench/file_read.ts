/**
 * File read benchmark: writes a ~100 MB temporary file of plain-format lines
 * (with a Java stack trace every 500 lines), reads it back with
 * readLogRecords (auto-detected format, batches of 1,000) and prints lines/s,
 * MB/s and the peak RSS above the level before reading — the figure that
 * shows memory stays bounded however large the file. The file is deleted
 * afterwards. Bounded by size (TARGET_BYTES) and by time (MAX_SECONDS).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { readLogRecords } from '../../src/sources/file/reader.js';

const TARGET_BYTES = 100 * 1024 * 1024;
const MAX_SECONDS = 60;
const SERVICES = ['payments', 'api', 'worker', 'auth', 'search'];
const LEVELS = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR'];
const BASE = Date.UTC(2024, 4, 1);
const STACK = ['java.lang.IllegalStateException: pool exhausted', '\tat com.example.Pool.take(Pool.java:88)', '\tat com.example.Api.handle(Api.java:12)'];

/** Writes the sample (about `targetBytes`); returns how many lines it holds. */
export async function writeSample(path: string, targetBytes = TARGET_BYTES): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let lines = 0;
  let written = 0;
  while (bytes < targetBytes) {
    const block: string[] = [];
    for (let k = 0; k < 1000; k++, lines++) {
      const ts = new Date(BASE + lines * 50).toISOString();
      block.push(`${ts} ${LEVELS[lines % 5]} ${SERVICES[lines % 5]} request ${lines} from 10.0.${lines % 256}.${lines % 199} took ${lines % 997} ms`);
      if (lines % 500 === 499) block.push(...STACK);
    }
    written += block.length;
    const text = `${block.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}

export async function benchFileRead(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lookout-bench-file-'));
  const path = join(dir, 'bench.log');
  try {
    const lines = await writeSample(path);
    const size = (await stat(path)).size;
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    let records = 0;
    let batches = 0;
    let format = '';
    const started = performance.now();
    const deadline = started + MAX_SECONDS * 1000;
    let bytesRead = 0;
    for await (const batch of readLogRecords({ input: path, onFormat: (f) => (format = f), onProgress: (read) => (bytesRead = read) })) {
      records += batch.length;
      if (++batches % 50 === 0) {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (performance.now() > deadline) break;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const mb = bytesRead / (1024 * 1024);
    const linesRead = Math.round((lines * bytesRead) / size);
    process.stdout.write(
      `file: ${(size / (1024 * 1024)).toFixed(0)} MB, format ${format}, read ${mb.toFixed(0)} MB in ${seconds.toFixed(2)} s\n` +
        `  ${Math.round(linesRead / seconds).toLocaleString('en-US')} lines/s, ${Math.round(records / seconds).toLocaleString('en-US')} records/s, ` +
        `${(mb / seconds).toFixed(1)} MB/s (${linesRead.toLocaleString('en-US')} lines → ${records.toLocaleString('en-US')} records)\n` +
        `  peak RSS +${((peakRss - baseRss) / (1024 * 1024)).toFixed(1)} MB over ${(baseRss / (1024 * 1024)).toFixed(0)} MB before reading\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
