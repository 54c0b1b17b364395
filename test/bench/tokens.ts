/**
 * Token bench: what an LLM would read for a window as a naive prompt (every
 * line in full) versus the embedded detector's compressed view, counted with
 * gpt-tokenizer (o200k_base, the GPT-4o / GPT-4.1 / o-series encoding), on
 * 200-line windows of each Loghub 2k sample in ../shared. Windows of one
 * dataset go through one EmbeddedAnalyzer in order, as one stream would, so
 * later windows are judged against a baseline. Also checks that every
 * evidence line of every anomaly is in the view verbatim.
 *
 * Record times are synthetic (one second apart): the samples' timestamp
 * formats differ per system and times do not change the token comparison.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-tokenizer';
import { EmbeddedAnalyzer } from '../../src/analysis/detector/analyzer.js';
import { levelFromMessage } from '../../src/sources/normalize.js';
import type { LogRecord } from '../../src/sources/record.js';
import type { Window } from '../../src/windows/window.js';
import { LOGHUB_DIR, haveLoghub } from './shared.js';

const WINDOW_LINES = 200;
const T0 = Date.UTC(2024, 0, 1);

interface DatasetFigures {
  name: string;
  windows: number;
  raw: number;
  view: number;
  anomalies: Map<string, number>;
  evidenceLines: number;
  evidenceMissing: number;
}

function windowsOf(name: string, lines: string[]): Window[] {
  const out: Window[] = [];
  for (let i = 0; i + WINDOW_LINES <= lines.length; i += WINDOW_LINES) {
    const records: LogRecord[] = lines.slice(i, i + WINDOW_LINES).map((message, j) => {
      const t = T0 + (i + j) * 1000;
      return { timestamp: t, observedAt: t, level: levelFromMessage(message), service: name, host: 'loghub', message, fields: {}, source: 'file', size: message.length };
    });
    out.push({ stream: `${name}|loghub`, service: name, host: 'loghub', start: records[0].timestamp, end: records[records.length - 1].timestamp, records, lines: records.length, closedBy: 'size' });
  }
  return out;
}

async function measure(name: string, lines: string[]): Promise<DatasetFigures> {
  const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
  const f: DatasetFigures = { name, windows: 0, raw: 0, view: 0, anomalies: new Map(), evidenceLines: 0, evidenceMissing: 0 };
  for (const w of windowsOf(name, lines)) {
    const rawPrompt = w.records.map((r) => r.message).join('\n');
    const result = await analyzer.analyze(w);
    const view = result.view ?? '';
    f.windows++;
    f.raw += encode(rawPrompt).length;
    f.view += encode(view).length;
    for (const a of result.anomalies) {
      f.anomalies.set(a.type, (f.anomalies.get(a.type) ?? 0) + 1);
      for (const line of a.evidence) {
        f.evidenceLines++;
        if (!view.includes(line)) f.evidenceMissing++;
      }
    }
  }
  return f;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function benchTokens(): Promise<void> {
  if (!haveLoghub()) return;
  const out = (s: string) => process.stdout.write(s + '\n');
  const datasets = readdirSync(LOGHUB_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  out(`${WINDOW_LINES}-line windows, o200k_base tokens: raw prompt (every line) vs compressed view`);
  out('dataset      windows   raw tokens  view tokens  ratio  anomalies (by type)                        evidence in view');
  const ratios: number[] = [];
  let missing = 0;
  for (const name of datasets) {
    const file = join(LOGHUB_DIR, name, `${name}_2k.log`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      out(`${name}: no ${name}_2k.log, skipped`);
      continue;
    }
    const lines = text.split('\n').filter((l) => l.length > 0);
    const f = await measure(name, lines);
    const ratio = f.raw / f.view;
    ratios.push(ratio);
    missing += f.evidenceMissing;
    const types = [...f.anomalies.entries()].map(([t, n]) => `${t} ${n}`).join(', ') || 'none';
    out(
      `${name.padEnd(12)} ${String(f.windows).padStart(7)} ${String(f.raw).padStart(12)} ${String(f.view).padStart(12)} ${ratio.toFixed(1).padStart(6)}x  ${types.padEnd(42)} ${f.evidenceLines - f.evidenceMissing}/${f.evidenceLines}`,
    );
  }
  if (ratios.length === 0) return;
  out(`median ratio across datasets: ${median(ratios).toFixed(1)}x (goal >= 5x; HDFS goal >= 8x)`);
  out(missing === 0 ? 'every evidence line is verbatim in its view: yes' : `evidence lines missing from their view: ${missing}`);
  out(
    'quality: the shared Loghub 2k samples carry no anomaly labels (only parsed fields and templates), so no precision/recall is reported; anomaly counts above are what the detector raised on these streams.',
  );
}
