/**
 * readLogRecords: streams a log file (or stdin, `-`) as batches of LogRecords
 * for `lookout analyze`.
 *
 * Lines are split by ./lines.ts, the format is the one asked for or detected
 * from the first non-empty lines (./detect.ts), and ./multiline.ts parses and
 * joins them; every record goes through normalize() with source `file`.
 * Records keep their own timestamps, so windows replay the file's history; a
 * record without one takes the previous record's (the first such record takes
 * `observedAt`), keeping time monotonic-ish. Guarantees: every non-blank line
 * ends up in exactly one record, in input order (see ./multiline.ts for
 * joins); memory is bounded by one read chunk, one batch and one joined
 * record, because the file is read only as fast as the consumer iterates.
 * When reading a path, records without a `file` field get one (as Vector's
 * file source does), so unstructured lines get the file name as service.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { NormalizeConfig } from '../normalize.js';
import { DEFAULT_NORMALIZE, normalize } from '../normalize.js';
import type { LogRecord } from '../record.js';
import { DEFAULT_BATCH_SIZE } from './config.js';
import { detectFormat, DETECT_SAMPLE_LINES } from './detect.js';
import { FileSourceError } from './errors.js';
import { createLineParser, type FormatOption, type LineFormat } from './formats.js';
import { splitLines } from './lines.js';
import { RecordAssembler } from './multiline.js';

/** Large reads are cheaper per byte; 256 KiB keeps a chunk's lines small next to a batch. */
const READ_CHUNK_BYTES = 256 * 1024;
export const STDIN_INPUT = '-';

export interface ReadLogRecordsOptions {
  /** A file path, or `-` for stdin. */
  input: string;
  format?: FormatOption;
  normalize?: NormalizeConfig;
  batchSize?: number;
  /** Clock for `observedAt` and RFC 3164 year inference; epoch ms. */
  now?: () => number;
  /** Called after every chunk read; `totalBytes` is the file size, undefined for stdin. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  /** Called once with the format in use (the detected one under `auto`). */
  onFormat?: (format: LineFormat) => void;
  /** Stream read for `-`; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function openError(path: string, err: unknown): FileSourceError {
  const code = errnoCode(err);
  const reason =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error)?.message ?? String(err);
  return new FileSourceError(`cannot read ${path}: ${reason}`, path, code, undefined, { cause: err });
}

async function openInput(opts: ReadLogRecordsOptions): Promise<{ stream: AsyncIterable<Buffer | string>; totalBytes?: number }> {
  if (opts.input === STDIN_INPUT) return { stream: (opts.stdin ?? process.stdin) as AsyncIterable<Buffer | string> };
  let size: number;
  try {
    const info = await stat(opts.input);
    if (info.isDirectory()) {
      throw new FileSourceError(`cannot read ${opts.input}: it is a directory`, opts.input, 'EISDIR');
    }
    size = info.size;
  } catch (err) {
    throw err instanceof FileSourceError ? err : openError(opts.input, err);
  }
  return { stream: createReadStream(opts.input, { highWaterMark: READ_CHUNK_BYTES }), totalBytes: size };
}

export async function* readLogRecords(opts: ReadLogRecordsOptions): AsyncGenerator<LogRecord[], void, undefined> {
  const now = opts.now ?? Date.now;
  const cfg = opts.normalize ?? DEFAULT_NORMALIZE;
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const path = opts.input === STDIN_INPUT ? undefined : opts.input;
  const { stream, totalBytes } = await openInput(opts);

  let bytesRead = 0;
  const onBytes = (n: number): void => {
    bytesRead += n;
    opts.onProgress?.(bytesRead, totalBytes);
  };
  const chunks = splitLines(stream, onBytes);

  const wrapReadError = (err: unknown): unknown =>
    path !== undefined && errnoCode(err) !== undefined && !(err instanceof FileSourceError)
      ? new FileSourceError(`cannot read ${path} at byte ${bytesRead}: ${(err as Error).message}`, path, errnoCode(err), bytesRead, {
          cause: err,
        })
      : err;

  let batch: LogRecord[] = [];
  let lastTimestamp: number | undefined;
  let observedAt = now();

  const toRecord = (raw: Record<string, unknown>): LogRecord => {
    if (path !== undefined && !('file' in raw)) raw.file = path;
    const record = normalize(raw, { source: 'file', observedAt, transportTime: lastTimestamp }, cfg);
    lastTimestamp = record.timestamp;
    return record;
  };

  try {
    const held: string[][] = [];
    let format: LineFormat;
    if (opts.format === undefined || opts.format === 'auto') {
      let sampled = 0;
      while (sampled < DETECT_SAMPLE_LINES) {
        const next = await chunks.next();
        if (next.done) break;
        held.push(next.value);
        for (const line of next.value) if (line.trim().length > 0) sampled++;
      }
      format = detectFormat(held.flat(), now());
    } else {
      format = opts.format;
    }
    opts.onFormat?.(format);
    const assembler = new RecordAssembler(format, createLineParser(format, now));

    function* consume(lines: string[]): Generator<LogRecord[]> {
      observedAt = now();
      for (const line of lines) {
        const raw = assembler.push(line);
        if (raw === undefined) continue;
        batch.push(toRecord(raw));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }

    for (const lines of held) yield* consume(lines);
    held.length = 0;
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      yield* consume(next.value);
    }
    for (const raw of assembler.flush()) batch.push(toRecord(raw));
    if (batch.length > 0) yield batch;
  } catch (err) {
    throw wrapReadError(err);
  } finally {
    await chunks.return(undefined);
  }
}
