/**
 * The analyze topology: file sources → the shared pipeline (windows and
 * analysis, exactly as `serve` runs them) → the terminal (a table, or NDJSON
 * anomaly records) and, with a report path, one self-contained HTML report
 * (../report/).
 *
 * Inputs are read one after the other, in the order given (give rotated
 * files oldest first), windowed by the records' own timestamps, so a week of
 * history replays as a week of windows in minutes. Memory stays bounded:
 * reading waits whenever the window buffer is full, as a network source would
 * be pushed back. Every window is analysed before the run ends, however long
 * that takes (a replay has no client waiting to retry).
 */
import { writeFile } from 'node:fs/promises';
import type { Severity } from '../analysis/anomaly.js';
import { FeedbackDesk, rulesEmitter } from '../analysis/rules/feedback.js';
import { RuleBook, rulesPath } from '../analysis/rules/rules.js';
import type { LookoutConfig } from '../config/schema.js';
import { ReportCollector } from '../report/collector.js';
import { renderReport } from '../report/html.js';
import { WhatIfAnalyzer } from '../report/whatif.js';
import { progressReporter } from '../sources/file/progress.js';
import { emptyReadStats, readLogRecords, STDIN_INPUT, type FileReadStats } from '../sources/file/reader.js';
import { encodeNdjson } from '../sinks/ndjson.js';
import type { AnomalyRecord } from '../sinks/record.js';
import { renderAnomalyTable, renderSummary } from '../sinks/stdout/table.js';
import type { Logger } from '../telemetry/log.js';
import { createMetrics } from '../telemetry/metrics.js';
import type { Emitter } from './analysis_queue.js';
import { createAnalyzer } from './analyzer.js';
import { createPipeline } from './pipeline.js';

/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface AnalyzeRunOptions {
  /** Paths, or `-` for stdin (at most once). */
  inputs: string[];
  output: 'table' | 'ndjson';
  report?: { path: string; pricePerMillionTokens: number };
  logger: Logger;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
  /** Wall clock for the report's "generated at" and the readers' observedAt. */
  now?: () => number;
}

export interface AnalyzeRunResult {
  records: number;
  windows: number;
  anomalies: number;
  inputs: Array<{ name: string; stats: FileReadStats }>;
}

export async function runAnalysis(config: LookoutConfig, opts: AnalyzeRunOptions): Promise<AnalyzeRunResult> {
  const started = performance.now();
  const replayConfig: LookoutConfig = { ...config, windows: { ...config.windows, time: 'event' } };
  const { logger } = opts;
  const metrics = createMetrics();
  const wall = opts.now ?? Date.now;
  const report = opts.report
    ? new ReportCollector(replayConfig, {
        title: `Lookout calibration report: ${opts.inputs.map((i) => (i === STDIN_INPUT ? 'stdin' : i)).join(', ')}`,
        pricePerMillionTokens: opts.report.pricePerMillionTokens,
        now: wall,
      })
    : undefined;

  // The table needs every record at the end; NDJSON streams them and keeps only counts.
  const collected: AnomalyRecord[] = [];
  const bySeverity: Partial<Record<Severity, number>> = {};
  const emitter: Emitter = {
    async emit(records) {
      for (const r of records) bySeverity[r.anomaly.severity] = (bySeverity[r.anomaly.severity] ?? 0) + 1;
      report?.addAnomalies(records);
      if (opts.output === 'ndjson') opts.stdout.write(encodeNdjson(records));
      else collected.push(...records);
    },
    async close() {},
  };
  // A file replay runs in event time, so "now" for learned baselines is the records' own clock.
  let clock = 0;
  const now = () => clock;
  const built = await createAnalyzer(replayConfig, { metrics, logger, now, report: report !== undefined });
  // Rules and feedback (analysis.rules) act on the records before any output, as in serve.
  const desk = new FeedbackDesk(await RuleBook.load(rulesPath(replayConfig.analysis)), logger);
  const whatIf = report ? new WhatIfAnalyzer(built.analyzer, replayConfig.analysis.detector) : undefined;
  // Shards keep each stream's windows in order; on the main thread one window at a time keeps them all in order.
  const pipeline = createPipeline(replayConfig, {
    analyzer: whatIf ?? built.analyzer,
    silence: built.silence,
    emitter: rulesEmitter(emitter, desk),
    metrics,
    logger,
    now,
    concurrency: built.workers > 0 ? built.concurrency : 1,
    clockFromRecords: true,
    onAnalyzed: report ? (_window, result) => result && report.addResult(result) : undefined,
  });

  const inputs: AnalyzeRunResult['inputs'] = [];
  let records = 0;
  for (const input of opts.inputs) {
    const stats = emptyReadStats();
    inputs.push({ name: input === STDIN_INPUT ? 'stdin' : input, stats });
    const onProgress = progressReporter(opts.stderr);
    try {
      for await (const batch of readLogRecords({
        input,
        format: replayConfig.sources.file.format,
        pattern: replayConfig.sources.file.pattern,
        normalize: replayConfig.normalize,
        batchSize: replayConfig.sources.file.batch_size,
        stdin: opts.stdin,
        now: wall,
        onProgress,
        stats,
        // The calibration report keys records as the windows do, so what the windows do not read it does not either.
        dropFields: !pipeline.windower.readsFields,
      })) {
        records += batch.length;
        for (const r of batch) if (r.timestamp > clock) clock = r.timestamp;
        report?.addRecords(batch);
        for (;;) {
          const admission = pipeline.windower.admit(batch);
          if (admission.ok) break;
          await pipeline.windower.whenWritable(batch);
        }
      }
    } finally {
      onProgress.done();
    }
    if (stats.unparsed > 0) opts.stderr.write(unparsedNote(inputs[inputs.length - 1].name, stats));
  }
  await pipeline.drain(MAX_TIMER_MS);
  // Streams that stopped before the input ends; silences that ended were found by the windows after them.
  await pipeline.checkSilence();
  await pipeline.close(1000);

  if (opts.output === 'table') {
    opts.stdout.write(renderAnomalyTable(collected, { width: opts.stdout.columns ?? 120, color: Boolean(opts.stdout.isTTY) && !process.env.NO_COLOR }));
  }
  const windows = (await metrics.windowsFlushed.get()).values.reduce((s, v) => s + v.value, 0);
  const formats = [...new Set(inputs.map((i) => i.stats.format).filter((f) => f !== undefined))].join('+');
  const anomalies = Object.values(bySeverity).reduce((s, n) => s + n, 0);
  opts.stderr.write(renderSummary({ records, windows, bySeverity, elapsedMs: performance.now() - started, format: formats || undefined }));
  if (report && opts.report) {
    report.setSignalCounts(whatIf!.counts);
    await writeFile(opts.report.path, renderReport(report.finish(inputs)));
    opts.stderr.write(`report written to ${opts.report.path}\n`);
  }
  return { records, windows, anomalies, inputs };
}

/** The stderr note for lines the format did not read: how many, and where the first one is. */
export function unparsedNote(name: string, stats: FileReadStats): string {
  const how = stats.detected ? 'detected' : 'forced';
  return (
    `${name}: ${stats.unparsed.toLocaleString('en-US')} of ${stats.lines.toLocaleString('en-US')} lines do not match the ${how} format ` +
    `${stats.format} (first at line ${stats.firstUnparsedLine}); they were analysed as raw text\n`
  );
}
