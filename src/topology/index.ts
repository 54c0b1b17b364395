/**
 * Topology: builds the running pipeline from the configuration, in Vector's
 * sense — sources → windows → analysis → sinks — and owns its lifecycle.
 *
 * Shutdown (SIGTERM/SIGINT or `shutdown()`): admission stops at once (HTTP
 * answers 503, Forward stops acknowledging), every open window is flushed
 * through analysis and the sinks within the drain timeout, then servers and
 * sinks close. After a clean shutdown records received = records analyzed.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Analyzer } from '../analysis/analyzer.js';
import type { LookoutConfig } from '../config/schema.js';
import { createForwardSource, type ForwardSource } from '../sources/forward/server.js';
import { createHttpSource } from '../sources/http/router.js';
import { createSinks } from '../sinks/index.js';
import { createLogger, type Logger } from '../telemetry/log.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import type { Windower } from '../windows/windower.js';
import type { Emitter } from './analysis_queue.js';
import { createAnalyzer, type SilenceWatcher } from './analyzer.js';
import { opsRouter } from './ops.js';
import { watchDependencies } from './dependencies.js';
import { createPipeline } from './pipeline.js';
import { StreamTable } from './streams.js';
import { FeedbackDesk, feedbackRouter, rulesEmitter } from '../analysis/rules/feedback.js';
import { RuleBook, rulesPath } from '../analysis/rules/rules.js';

export interface StartOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Replaces the configured analyzer (tests, benchmarks). */
  analyzer?: Analyzer;
  /** Replaces the configured sinks (tests, the demo). */
  emitter?: Emitter;
  now?: () => number;
  /** How often open windows are checked against the clock; 1 s by default. */
  tickMs?: number;
}

export interface ShutdownReport {
  recordsReceived: number;
  recordsAnalyzed: number;
  drained: boolean;
}

export interface Lookout {
  http?: { address: string; port: number };
  forward?: { address: string; port: number };
  metrics: Metrics;
  windower: Windower;
  streams: StreamTable;
  shutdown(): Promise<ShutdownReport>;
}

async function counterTotal(metrics: Metrics, name: 'recordsReceived' | 'recordsAnalyzed'): Promise<number> {
  const data = await metrics[name].get();
  return data.values.reduce((sum, v) => sum + v.value, 0);
}

export async function startLookout(config: LookoutConfig, opts: StartOptions = {}): Promise<Lookout> {
  const logger = opts.logger ?? createLogger();
  const metrics = opts.metrics ?? createMetrics({ defaultMetrics: true });
  const now = opts.now ?? Date.now;
  const built = opts.analyzer ? { analyzer: opts.analyzer, silence: undefined, concurrency: undefined } : await createAnalyzer(config, { metrics, logger, now });
  const analyzer = built.analyzer;
  const silence: SilenceWatcher | undefined = built.silence;
  // Rules and feedback act on records here, in the main thread, wherever analysis ran.
  const desk = new FeedbackDesk(await RuleBook.load(rulesPath(config.analysis)), logger);
  const emitter = rulesEmitter(opts.emitter ?? createSinks(config, { metrics, logger, now }), desk);

  const streams = new StreamTable(config.windows.key_fields, config.windows.max_open_windows);
  const pipeline = createPipeline(config, {
    analyzer,
    silence,
    emitter,
    metrics,
    logger,
    now,
    concurrency: built.concurrency,
    onAnalyzed: (w, r) => streams.analyzed(w, r),
  });
  const windower = pipeline.windower;
  const ticker = setInterval(() => pipeline.tick(), opts.tickMs ?? 1000);
  ticker.unref();

  const intake = streams.counting(windower);
  // Replaced sinks or analyzer (tests, the demo) have no endpoints of their own to check.
  const dependencies = watchDependencies(config, logger, { sinks: !opts.emitter, llm: !opts.analyzer });

  const lookout: Lookout = { metrics, windower, streams, shutdown: async () => shutdown() };

  let httpServer: Server | undefined;
  const httpCfg = config.sources.http;
  if (httpCfg.enabled) {
    const app = express();
    app.disable('x-powered-by');
    app.use(
      opsRouter(metrics, streams, {
        degraded: () => dependencies.degraded(),
        ready: () => {
          if (windower.shuttingDown) return { ready: false, reason: 'shutting down' };
          const b = windower.buffered;
          if (b.records >= config.windows.max_buffered_records || b.bytes >= config.windows.max_buffered_bytes) {
            return { ready: false, reason: 'buffer full' };
          }
          return { ready: true };
        },
      }),
    );
    app.use(feedbackRouter(desk));
    app.use(createHttpSource({ config: httpCfg, intake, metrics, logger, normalize: config.normalize, now }));
    app.use((req, res) => {
      res.status(404).json({ error: `no route for ${req.method} ${req.path}: records go to POST ${httpCfg.paths.join(' or ')}`, code: 404 });
    });
    httpServer = app.listen(httpCfg.port, httpCfg.address);
    httpServer.maxConnections = httpCfg.max_connections;
    httpServer.requestTimeout = httpCfg.request_timeout_seconds * 1000;
    httpServer.headersTimeout = Math.min(httpServer.headersTimeout, httpServer.requestTimeout);
    await once(httpServer, 'listening');
    const a = httpServer.address() as AddressInfo;
    lookout.http = { address: a.address, port: a.port };
    logger.info({ address: a.address, port: a.port }, 'http source listening');
  }

  let forward: ForwardSource | undefined;
  const fwdCfg = config.sources.forward;
  if (fwdCfg.enabled) {
    forward = createForwardSource({ config: fwdCfg, intake, metrics, logger, normalize: config.normalize, now });
    lookout.forward = await forward.listen();
  }

  let stopping: Promise<ShutdownReport> | undefined;
  function shutdown(): Promise<ShutdownReport> {
    stopping ??= (async () => {
      const deadline = Date.now() + config.shutdown.drain_timeout_seconds * 1000;
      logger.info({ buffered: windower.buffered }, 'shutting down: flushing open windows');
      clearInterval(ticker);
      dependencies.stop();
      const draining = pipeline.drain(Math.max(0, deadline - Date.now()));
      const closingHttp = httpServer ? new Promise<void>((resolve) => httpServer!.close(() => resolve())) : Promise.resolve();
      const closingForward = forward ? forward.close() : Promise.resolve();
      const drained = await draining;
      await pipeline.close(Math.max(1000, deadline - Date.now()));
      httpServer?.closeAllConnections();
      await Promise.all([closingHttp, closingForward]);
      const report = {
        recordsReceived: await counterTotal(metrics, 'recordsReceived'),
        recordsAnalyzed: await counterTotal(metrics, 'recordsAnalyzed'),
        drained,
      };
      logger.info(report, 'shut down');
      return report;
    })();
    return stopping;
  }

  return lookout;
}
