/**
 * `lookout templates FILE|-`: mines log templates from a file (or stdin) and
 * prints, for every input line, its line number, template id and template as
 * CSV (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180) on stdout, then a
 * summary of the templates by count on stderr — like Loki's pattern view.
 *
 * Streams the input line by line (readline) and waits for stdout to drain, so
 * memory stays bounded by the miner's `max_templates` whatever the file size.
 * Exit codes: 0 done, 2 the input cannot be read.
 */
import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { TemplateMiner, type MinerConfig } from '../analysis/templates/miner.js';

export interface TemplatesOptions {
  /** A path, or `-` for stdin. */
  file: string;
  config?: Partial<MinerConfig>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Read for `-`; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

/** The summary lists at most this many templates; the rest are counted in one line. */
const SUMMARY_LIMIT = 50;
const EXIT_OK = 0;
const EXIT_INPUT = 2;

export async function runTemplates(opts: TemplatesOptions): Promise<number> {
  const { file, stdout, stderr } = opts;
  let input: NodeJS.ReadableStream;
  if (file === '-') input = opts.stdin ?? process.stdin;
  else {
    try {
      await access(file, constants.R_OK);
    } catch (err) {
      stderr.write(`lookout templates: cannot read ${file}: ${reason(err)}\n`);
      return EXIT_INPUT;
    }
    input = createReadStream(file, { encoding: 'utf8' });
  }
  const miner = new TemplateMiner(opts.config);
  let lineNo = 0;
  let readError: unknown;
  input.on('error', (err) => {
    readError = err;
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  await write(stdout, 'line,template_id,template\n');
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      const m = miner.add(line);
      await write(stdout, `${lineNo},${m.id},${csvField(m.template)}\n`);
    }
  } catch (err) {
    readError = err;
  }
  if (readError !== undefined) {
    stderr.write(`lookout templates: reading ${file === '-' ? 'stdin' : file} failed after line ${lineNo}: ${reason(readError)}\n`);
    return EXIT_INPUT;
  }
  stderr.write(summary(miner, lineNo));
  return EXIT_OK;
}

/** One CSV field: quoted when it holds a comma, quote or line break, with quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function summary(miner: TemplateMiner, lines: number): string {
  const all = miner.templates().sort((a, b) => b.count - a.count);
  const width = String(all[0]?.count ?? 0).length;
  let out = `${lines} lines, ${all.length} templates\n`;
  for (const t of all.slice(0, SUMMARY_LIMIT)) out += `${String(t.count).padStart(width)}  ${t.id}  ${t.template}\n`;
  if (all.length > SUMMARY_LIMIT) out += `… and ${all.length - SUMMARY_LIMIT} more templates\n`;
  return out;
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}
