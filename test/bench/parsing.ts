/**
 * Parsing benchmark: grouping accuracy and throughput of the template miner
 * on the Loghub 2k samples (https://github.com/logpai/loghub).
 *
 * Accuracy is the grouping accuracy of Zhu et al., "Tools and Benchmarks for
 * Automated Log Parsing" (ICSE-SEIP 2019): a line counts as parsed correctly
 * when the set of lines sharing its template id equals the set sharing its
 * ground-truth EventId. The miner is fed each line's `Content` column (the
 * message with the header stripped), with one configuration for every
 * dataset. Throughput feeds HDFS content repeated to ~200k lines to a fresh
 * miner. Reads the samples from `LOOKOUT_LOGHUB_DIR` when set (same layout:
 * `<System>/<System>_2k.log_structured.csv`), else ../shared/datasets/loghub;
 * skips (and says so) when neither is there.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TemplateMiner } from '../../src/analysis/templates/miner.js';
import { LOGHUB_DIR, haveLoghub } from './shared.js';

/**
 * Drain's published grouping accuracy on the 16 Loghub-2k systems (Zhu et al.
 * 2019, Table II, https://arxiv.org/abs/1811.03509), the bar per system.
 */
const DRAIN_PUBLISHED: Record<string, number> = {
  Android: 0.911,
  Apache: 1.0,
  BGL: 0.963,
  HDFS: 0.998,
  HPC: 0.887,
  Hadoop: 0.948,
  HealthApp: 0.78,
  Linux: 0.69,
  Mac: 0.787,
  OpenSSH: 0.788,
  OpenStack: 0.733,
  Proxifier: 0.527,
  Spark: 0.92,
  Thunderbird: 0.955,
  Windows: 0.997,
  Zookeeper: 0.967,
};

const THROUGHPUT_LINES = 200_000;
/** Lines of a complete Loghub-2k sample; Drain's figures are for complete samples. */
const FULL_SAMPLE = 2000;

export interface LabelledLine {
  content: string;
  eventId: string;
}

/** RFC 4180 CSV: fields may be quoted, quoted fields may hold commas, `""` and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The `Content` and `EventId` columns of a Loghub `*_structured.csv`. */
export async function readStructured(path: string): Promise<LabelledLine[]> {
  const [header, ...rows] = parseCsv(await readFile(path, 'utf8'));
  const content = header.indexOf('Content');
  const event = header.indexOf('EventId');
  if (content < 0 || event < 0) throw new Error(`${path}: no Content/EventId columns in header ${header.join(',')}`);
  return rows.filter((r) => r.length === header.length).map((r) => ({ content: r[content], eventId: r[event] }));
}

/** Zhu et al.'s grouping accuracy of predicted ids against ground-truth ids (same order). */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (g) g.push(i);
    else groups.set(p, [i]);
  });
  let correct = 0;
  for (const lines of groups.values()) {
    const t = truth[lines[0]];
    if (lines.every((i) => truth[i] === t) && truthSize.get(t) === lines.length) correct += lines.length;
  }
  return predicted.length === 0 ? 0 : correct / predicted.length;
}

/** The systems under the Loghub directory that have a structured sample. */
export function datasets(): string[] {
  return readdirSync(LOGHUB_DIR, { withFileTypes: true })
    .filter((d) => (d.isDirectory() || d.isSymbolicLink()) && existsSync(structuredPath(d.name)))
    .map((d) => d.name)
    .sort();
}

export function structuredPath(name: string): string {
  return join(LOGHUB_DIR, name, `${name}_2k.log_structured.csv`);
}

export async function benchParsing(): Promise<void> {
  if (!haveLoghub()) return;
  const out = process.stdout;
  out.write(`grouping accuracy (Zhu et al. 2019), one configuration for all systems, samples from ${LOGHUB_DIR}\n`);
  out.write(`${'system'.padEnd(12)} ${'lines'.padStart(6)} ${'templates'.padStart(9)} ${'truth'.padStart(6)} ${'accuracy'.padStart(8)} ${'drain'.padStart(6)}\n`);
  const scores: number[] = [];
  const below: string[] = [];
  const present = datasets();
  for (const name of present) {
    const lines = await readStructured(structuredPath(name));
    const miner = new TemplateMiner();
    const predicted = lines.map((l) => miner.add(l.content).id);
    const accuracy = groupingAccuracy(
      predicted,
      lines.map((l) => l.eventId),
    );
    scores.push(accuracy);
    const truth = new Set(lines.map((l) => l.eventId)).size;
    const bar = DRAIN_PUBLISHED[name];
    if (bar !== undefined && accuracy < bar) below.push(lines.length < FULL_SAMPLE ? `${name} (partial sample)` : name);
    const flag = `${bar !== undefined && accuracy < bar ? '  below Drain' : ''}${lines.length < FULL_SAMPLE ? '  (partial sample: not comparable with Drain)' : ''}`;
    out.write(
      `${name.padEnd(12)} ${String(lines.length).padStart(6)} ${String(miner.size).padStart(9)} ${String(truth).padStart(6)} ${accuracy.toFixed(4).padStart(8)} ${(bar?.toFixed(3) ?? '-').padStart(6)}${flag}\n`,
    );
  }
  const known = Object.keys(DRAIN_PUBLISHED);
  const missing = known.filter((n) => !present.includes(n));
  const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  out.write(`${'mean'.padEnd(12)} ${''.padStart(6)} ${''.padStart(9)} ${''.padStart(6)} ${mean.toFixed(4).padStart(8)}\n`);
  out.write(
    `${known.length - missing.length} of ${known.length} Loghub systems present${missing.length > 0 ? ` (missing: ${missing.join(', ')})` : ''}; below Drain: ${below.length > 0 ? below.join(', ') : 'none'}\n`,
  );
  if (present.includes('HDFS')) await benchThroughput();
  else out.write('throughput: skipped, no HDFS sample\n');
}

async function benchThroughput(): Promise<void> {
  const hdfs = (await readStructured(structuredPath('HDFS'))).map((l) => l.content);
  const input: string[] = [];
  for (let i = 0; input.length < THROUGHPUT_LINES; i++) input.push(hdfs[i % hdfs.length]);
  const warm = new TemplateMiner();
  for (let i = 0; i < 20_000; i++) warm.add(input[i], i);
  let wall = 0;
  let cpu = 0;
  for (let round = 0; round < 3; round++) {
    const miner = new TemplateMiner();
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    for (let i = 0; i < input.length; i++) miner.add(input[i], i);
    const used = process.cpuUsage(startCpu);
    wall = Math.max(wall, input.length / (Number(process.hrtime.bigint() - start) / 1e9));
    cpu = Math.max(cpu, input.length / ((used.user + used.system) / 1e6));
  }
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  // CPU time is the one-core figure even when other processes share the machine; wall time is what this run saw.
  process.stdout.write(
    `throughput: ${fmt(cpu)} lines per CPU-second, ${fmt(wall)} lines/s wall (HDFS content, ${input.length.toLocaleString('en-US')} lines, best of 3, one thread)\n`,
  );
}
