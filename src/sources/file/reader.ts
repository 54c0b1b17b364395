/**
 * readLogRecords: streams a log file (or stdin, `-`) as batches of LogRecords
 * for `lookout analyze`; readParsedRecords adds the line each record started on.
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
 *
 * gzip and zstd input is decoded on the fly (./decompress.ts). `stats` is
 * filled in as reading goes: the format, the compression, lines read, and the
 * lines the format did not read (kept as raw records) with the first one's
 * line number. A format the caller forced that reads none of the first
 * non-empty lines fails with FormatMismatchError before any record is yielded.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { NormalizeConfig } from '../normalize.js';
import { DEFAULT_NORMALIZE, getPath, normalize } from '../normalize.js';
import type { LogRecord } from '../record.js';
import { DEFAULT_BATCH_SIZE } from './config.js';
import { decodeInput, type Compression } from './decompress.js';
import { detectFormat, DETECT_SAMPLE_LINES, sampleLines } from './detect.js';
import { FileSourceError, FormatMismatchError } from './errors.js';
import { createLineParser, type FormatOption, type LineFormat } from './formats.js';
import type { PatternSpec } from './pattern.js';
import { splitLines } from './lines.js';
import { RecordAssembler } from './multiline.js';

/**
 * Large reads are cheaper per byte, up to the point where a chunk's decoded
 * text passes 128 KiB: V8 allocates such a string in large-object space,
 * which costs more than the read saves.
 */
const READ_CHUNK_BYTES = 64 * 1024;
export const STDIN_INPUT = '-';

export interface ReadLogRecordsOptions {
  /** A file path, or `-` for stdin. */
  input: string;
  format?: FormatOption;
  /** The user's line pattern; required by (and, under `auto`, implies) the `pattern` format. */
  pattern?: PatternSpec;
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
  /** Filled in while reading (see FileReadStats). */
  stats?: FileReadStats;
  /** Records without their raw field maps, for a consumer that reads none (Intake.readsFields false). */
  dropFields?: boolean;
}

/** What reading one input saw; the counters grow as the records are consumed. */
export interface FileReadStats {
  format?: LineFormat;
  /** True when the format was detected rather than given. */
  detected?: boolean;
  compression?: Compression;
  /** Lines read, blank ones included (the last line number). */
  lines: number;
  records: number;
  /** Lines the format did not read; each became a raw record. */
  unparsed: number;
  /** 1-based line number of the first of them. */
  firstUnparsedLine?: number;
  /** Records carrying no time of their own (they take the previous record's). */
  untimed: number;
}

export function emptyReadStats(): FileReadStats {
  return { lines: 0, records: 0, unparsed: 0, untimed: 0 };
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

/** Records and, aligned with them, the 1-based line each started on (a joined stack trace starts on its header line). */
export interface ParsedBatch {
  records: LogRecord[];
  lines: number[];
}

/** readParsedRecords without the line numbers: what the analyze topology consumes. */
export async function* readLogRecords(opts: ReadLogRecordsOptions): AsyncGenerator<LogRecord[], void, undefined> {
  for await (const batch of readParsedRecords(opts)) yield batch.records;
}

/**
 * The parsed-record API of the file source: the records `lookout analyze`
 * sees (same format detection, parsing, joins and normalization), with the
 * line each record started on, for tools that report per line (`lookout templates`).
 */
export async function* readParsedRecords(opts: ReadLogRecordsOptions): AsyncGenerator<ParsedBatch, void, undefined> {
  const now = opts.now ?? Date.now;
  const cfg = opts.normalize ?? DEFAULT_NORMALIZE;
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const path = opts.input === STDIN_INPUT ? undefined : opts.input;
  const stats = opts.stats ?? emptyReadStats();
  const name = path ?? 'stdin';
  const { stream, totalBytes } = await openInput(opts);

  let bytesRead = 0;
  async function* counted(): AsyncGenerator<Buffer | string> {
    for await (const chunk of stream) {
      bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      opts.onProgress?.(bytesRead, totalBytes);
      yield chunk;
    }
  }
  let decoded;
  try {
    decoded = await decodeInput(counted(), { name, bytesRead: () => bytesRead });
  } catch (err) {
    throw path !== undefined && errnoCode(err) !== undefined && !(err instanceof FileSourceError) ? openError(path, err) : err;
  }
  stats.compression = decoded.compression;
  const chunks = splitLines(decoded.stream);

  const wrapReadError = (err: unknown): unknown =>
    path !== undefined && errnoCode(err) !== undefined && !(err instanceof FileSourceError)
      ? new FileSourceError(`cannot read ${path} at byte ${bytesRead}: ${(err as Error).message}`, path, errnoCode(err), bytesRead, {
          cause: err,
        })
      : err;

  let batch: ParsedBatch = { records: [], lines: [] };
  let lastTimestamp: number | undefined;
  let observedAt = now();

  const toRecord = (raw: Record<string, unknown>): LogRecord => {
    if (path !== undefined && !('file' in raw)) raw.file = path;
    // The text parsers all write `timestamp`, the first default field: one `in` settles most records.
    if (!(cfg.timestamp_fields[0] in raw) && !cfg.timestamp_fields.some((f) => getPath(raw, f) !== undefined)) stats.untimed++;
    const record = normalize(raw, { source: 'file', observedAt, transportTime: lastTimestamp, dropFields: opts.dropFields }, cfg);
    lastTimestamp = record.timestamp;
    return record;
  };

  try {
    const held: string[][] = [];
    let sampled = 0;
    while (sampled < DETECT_SAMPLE_LINES) {
      const next = await chunks.next();
      if (next.done) break;
      held.push(next.value);
      for (const line of next.value) if (line.trim().length > 0) sampled++;
    }
    const asked = opts.format === 'auto' && opts.pattern ? 'pattern' : (opts.format ?? 'auto');
    const format: LineFormat = asked === 'auto' ? detectFormat(held.flat(), now()) : asked;
    const parse = createLineParser(format, now, opts.pattern);
    if (asked !== 'auto') checkForcedFormat(format, parse, held.flat(), name);
    stats.format = format;
    stats.detected = asked === 'auto';
    opts.onFormat?.(format);
    const assembler = new RecordAssembler(format, parse);

    const add = (raw: Record<string, unknown>, line: number): void => {
      batch.lines.push(line);
      batch.records.push(toRecord(raw));
    };

    function* consume(lines: string[]): Generator<ParsedBatch> {
      observedAt = now();
      for (const line of lines) {
        stats.lines++;
        const unparsedBefore = assembler.unparsed;
        const raw = assembler.push(line, stats.lines);
        if (assembler.unparsed !== unparsedBefore) {
          stats.unparsed++;
          stats.firstUnparsedLine ??= stats.lines;
        }
        if (raw === undefined) continue;
        stats.records++;
        add(raw, assembler.recordLine);
        if (batch.records.length >= batchSize) {
          yield batch;
          batch = { records: [], lines: [] };
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
    for (const held of assembler.flush()) {
      stats.records++;
      add(held.fields, held.line);
    }
    if (batch.records.length > 0) yield batch;
  } catch (err) {
    throw wrapReadError(err);
  } finally {
    await chunks.return(undefined);
  }
}

/** A forced format must read at least one of the first non-empty lines; otherwise the replay would be all raw. */
function checkForcedFormat(format: LineFormat, parse: (line: string) => unknown, lines: readonly string[], name: string): void {
  if (format === 'raw') return;
  const sample = sampleLines(lines);
  if (sample.length === 0 || sample.some((line) => parse(line) !== undefined)) return;
  const first = lines.findIndex((line) => line.trim().length > 0);
  const shown = sample[0].length > 120 ? `${sample[0].slice(0, 119)}…` : sample[0];
  throw new FormatMismatchError(
    `${name}: format ${format} reads none of the first ${sample.length} non-empty lines (line ${first + 1}: ${JSON.stringify(shown)}); ` +
      'pick another --format, or auto to detect it',
    name,
    'EFORMAT',
  );
}
