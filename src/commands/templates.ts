/**
 * `lookout templates FILE|-`: mines log templates from a file (or stdin) and
 * prints, for every record, its number, template id and template as CSV
 * (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180) on stdout, then a
 * summary of the templates by count on stderr — like Loki's pattern view.
 *
 * Records are read exactly as `lookout analyze` reads them (readLogRecords:
 * the same format detection, header parsing and stack-trace joining, with the
 * configuration's `sources.file` and `normalize` settings), and the miner sees
 * only each record's message, so template ids agree with the ones `analyze`
 * and `serve` report. Streams in batches and waits for stdout to drain, so
 * memory stays bounded by the miner's `max_templates` whatever the file size.
 * Exit codes: 0 done, 2 the input cannot be read.
 */
import { once } from 'node:events';
import { TemplateMiner, type MinerConfig } from '../analysis/templates/miner.js';
import type { LookoutConfig } from '../config/schema.js';
import type { FormatOption } from '../sources/file/formats.js';
import { readLogRecords } from '../sources/file/reader.js';

export interface TemplatesOptions {
  /** A path, or `-` for stdin. */
  file: string;
  config?: Partial<MinerConfig>;
  /** How to read the file (format, header fields); analyze's defaults when absent. */
  read?: { format?: FormatOption; normalize?: LookoutConfig['normalize']; batchSize?: number };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Read for `-`; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

/** The summary lists at most this many templates; the rest are counted in one line. */
const SUMMARY_LIMIT = 50;
const EXIT_OK = 0;
const EXIT_INPUT = 2;
const HEADER = 'record,template_id,template\n';

export async function runTemplates(opts: TemplatesOptions): Promise<number> {
  const { file, stdout, stderr } = opts;
  const miner = new TemplateMiner(opts.config);
  let records = 0;
  // The header goes out with the first rows, so an unreadable input leaves stdout empty.
  let out = HEADER;
  try {
    for await (const batch of readLogRecords({
      input: file,
      format: opts.read?.format,
      normalize: opts.read?.normalize,
      batchSize: opts.read?.batchSize,
      stdin: opts.stdin,
      // The miner reads each record's message only.
      dropFields: true,
    })) {
      for (const r of batch) {
        records++;
        const m = miner.add(r.message, r.timestamp);
        out += `${records},${m.id},${csvField(m.template)}\n`;
      }
      await write(stdout, out);
      out = '';
    }
    if (out) await write(stdout, out);
  } catch (err) {
    stderr.write(`lookout templates: ${reason(err)}${records > 0 ? ` (after record ${records})` : ''}\n`);
    return EXIT_INPUT;
  }
  stderr.write(summary(miner, records));
  return EXIT_OK;
}

/** One CSV field: quoted when it holds a comma, quote or line break, with quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function summary(miner: TemplateMiner, lines: number): string {
  const all = miner.templates().sort((a, b) => b.count - a.count);
  const width = String(all[0]?.count ?? 0).length;
  let out = `${lines} records, ${all.length} templates\n`;
  for (const t of all.slice(0, SUMMARY_LIMIT)) out += `${String(t.count).padStart(width)}  ${t.id}  ${t.template}\n`;
  if (all.length > SUMMARY_LIMIT) out += `… and ${all.length - SUMMARY_LIMIT} more templates\n`;
  return out;
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
