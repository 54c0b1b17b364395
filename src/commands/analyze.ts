/**
 * `lookout analyze FILE|-`: replays a log file through the same windows and
 * analysis as `serve`, windowed by the records' own timestamps, and prints the
 * anomalies: a table on a terminal, NDJSON records with `--output ndjson` or
 * when stdout is piped. Memory stays bounded: reading waits whenever the
 * window buffer is full, exactly as a network source would be pushed back.
 */
import type { Severity } from '../analysis/anomaly.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import type { LineFormat } from '../sources/file/formats.js';
import { progressReporter } from '../sources/file/progress.js';
import { readLogRecords } from '../sources/file/reader.js';
import type { AnomalyRecord } from '../sinks/record.js';
import { renderAnomalyTable, renderSummary } from '../sinks/stdout/table.js';
import { createLogger } from '../telemetry/log.js';
import { createMetrics } from '../telemetry/metrics.js';
import type { Emitter } from '../topology/analysis_queue.js';
import { createAnalyzer } from '../topology/analyzer.js';
import { createPipeline } from '../topology/pipeline.js';
import { FeedbackDesk, rulesEmitter } from '../analysis/rules/feedback.js';
import { RuleBook, rulesPath } from '../analysis/rules/rules.js';

/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface AnalyzeOptions {
  input: string;
  output?: 'table' | 'ndjson';
  format?: LineFormat | 'auto';
  load: LoadOptions;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: NodeJS.ReadableStream;
}

export async function runAnalyze(opts: AnalyzeOptions): Promise<number> {
  const started = performance.now();
  const loaded = await loadConfig(opts.load);
  const config = { ...loaded, windows: { ...loaded.windows, time: 'event' as const } };
  const logger = createLogger(process.env.LOOKOUT_LOG_LEVEL ?? 'warn');
  const metrics = createMetrics();
  const output = opts.output ?? (opts.stdout.isTTY ? 'table' : 'ndjson');
  // The table needs every record at the end; NDJSON streams them and keeps only counts.
  const collected: AnomalyRecord[] = [];
  const bySeverity: Partial<Record<Severity, number>> = {};
  const emitter: Emitter = {
    async emit(records) {
      for (const r of records) bySeverity[r.anomaly.severity] = (bySeverity[r.anomaly.severity] ?? 0) + 1;
      if (output === 'ndjson') for (const r of records) opts.stdout.write(`${JSON.stringify(r)}\n`);
      else collected.push(...records);
    },
    async close() {},
  };
  // File replay runs in event time, so "now" for learned baselines is the records' own clock.
  let clock = 0;
  const now = () => clock;
  const { analyzer, silence, workers, concurrency } = await createAnalyzer(config, { metrics, logger, now });
  const desk = new FeedbackDesk(await RuleBook.load(rulesPath(config.analysis)), logger);
  // Shards keep each stream's windows in order; on the main thread one window at a time keeps them all in order.
  const pipeline = createPipeline(config, {
    analyzer,
    silence,
    emitter: rulesEmitter(emitter, desk),
    metrics,
    logger,
    now,
    concurrency: workers > 0 ? concurrency : 1,
    clockFromRecords: true,
  });

  let lines = 0;
  let format: string | undefined;
  const onProgress = progressReporter(opts.stderr);
  try {
    for await (const batch of readLogRecords({
      input: opts.input,
      format: opts.format ?? config.sources.file.format,
      normalize: config.normalize,
      batchSize: config.sources.file.batch_size,
      stdin: opts.stdin,
      onProgress,
      onFormat: (f) => (format = f),
    })) {
      lines += batch.length;
      for (const r of batch) if (r.timestamp > clock) clock = r.timestamp;
      for (;;) {
        const admission = pipeline.windower.admit(batch);
        if (admission.ok) break;
        await pipeline.windower.whenWritable(batch);
      }
    }
  } finally {
    onProgress.done();
  }
  // A file replay has no client waiting to retry: analyze every window, however long it takes.
  await pipeline.drain(MAX_TIMER_MS);
  // Streams that stopped before the file ends; silences that ended were found by the windows after them.
  await pipeline.checkSilence();
  await pipeline.close(1000);

  if (output === 'table') {
    opts.stdout.write(renderAnomalyTable(collected, { width: opts.stdout.columns ?? 120, color: Boolean(opts.stdout.isTTY) && !process.env.NO_COLOR }));
  }
  const windows = (await metrics.windowsFlushed.get()).values.reduce((s, v) => s + v.value, 0);
  opts.stderr.write(renderSummary({ records: lines, windows, bySeverity, elapsedMs: performance.now() - started, format }));
  return 0;
}
