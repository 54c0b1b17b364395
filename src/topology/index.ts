/**
 * Topology: builds the running pipeline from the configuration, in Vector's
 * sense — sources → windows → analysis → sinks — and owns its lifecycle.
 *
 * Start-up: a source that cannot listen (busy port) closes whatever already
 * started and rejects with a ListenError naming the port and its option.
 *
 * Shutdown (SIGTERM/SIGINT or `shutdown()`): admission stops at once (HTTP
 * keeps listening and answers 503 + Retry-After, /readyz 503; Forward stops
 * accepting and acknowledging), model calls still pending are aborted so
 * their windows finish on the embedded detector (`analysis: degraded`), every
 * open window is flushed through analysis and the sinks within the drain
 * timeout, then the HTTP listener and sinks close. `drained` is true only when
 * nothing accepted was lost: records received = records analyzed, and no
 * anomaly was left undelivered by a sink (each such sink is logged at error).
 * While running, the learned state is snapshotted every
 * `analysis.state_snapshot_seconds`.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
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
import { createSinkMetrics } from '../sinks/delivery/metrics.js';
import { createAnalyzer, type SilenceWatcher, type StateStore } from './analyzer.js';
import { ListenError } from './errors.js';
import { opsRouter } from './ops.js';
import { watchDependencies } from './dependencies.js';
import { createPipeline } from './pipeline.js';
import { StreamTable } from './streams.js';
import { FeedbackDesk, rulesEmitter } from '../analysis/rules/feedback.js';
import { feedbackRouter } from './feedback_route.js';
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
  /** Anomaly records the sinks could not deliver before they closed. */
  anomaliesLost: number;
  /** Nothing accepted was lost: every record analyzed within the drain timeout, every anomaly delivered. */
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

/** Anomaly records the sinks dropped unsent because they were closing (not queue overflow while running). */
async function anomaliesLostAtClose(metrics: Metrics): Promise<number> {
  const data = await createSinkMetrics(metrics.registry).dropped.get();
  return data.values.filter((v) => v.labels.reason === 'shutdown' || v.labels.reason === 'closed').reduce((sum, v) => sum + v.value, 0);
}

/** Listens, or rejects with a ListenError naming the port and its option. */
async function listen(server: Server, source: 'http' | 'forward', port: number, address: string): Promise<void> {
  try {
    server.listen(port, address);
    await once(server, 'listening');
  } catch (err) {
    throw new ListenError(source, address, port, err as NodeJS.ErrnoException);
  }
}

export async function startLookout(config: LookoutConfig, opts: StartOptions = {}): Promise<Lookout> {
  const logger = opts.logger ?? createLogger();
  const metrics = opts.metrics ?? createMetrics({ defaultMetrics: true });
  const now = opts.now ?? Date.now;
  const built = opts.analyzer
    ? { analyzer: opts.analyzer, silence: undefined, concurrency: undefined, state: undefined }
    : await createAnalyzer(config, { metrics, logger, now });
  const analyzer = built.analyzer;
  const silence: SilenceWatcher | undefined = built.silence;
  const state: StateStore | undefined = built.state;
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
  const snapshotSeconds = config.analysis.state_snapshot_seconds;
  let snapshotting: Promise<void> | undefined;
  const snapshotter =
    state && config.analysis.state_path && snapshotSeconds > 0
      ? setInterval(() => {
          // A snapshot still being written is not started twice.
          snapshotting ??= state.save('snapshot').finally(() => (snapshotting = undefined));
        }, snapshotSeconds * 1000)
      : undefined;
  snapshotter?.unref();

  const intake = streams.counting(windower);
  // Replaced sinks or analyzer (tests, the demo) have no endpoints of their own to check.
  const dependencies = watchDependencies(config, logger, { sinks: !opts.emitter, llm: !opts.analyzer });

  const lookout: Lookout = { metrics, windower, streams, shutdown: async () => shutdown() };

  let httpServer: Server | undefined;
  const httpCfg = config.sources.http;
  if (httpCfg.enabled) {
    const app = express();
    app.disable('x-powered-by');
    // Every answer is a one-off status: hashing each body for an ETag only costs CPU on the ingest path.
    app.disable('etag');
    app.use(
      opsRouter(metrics, streams, {
        degraded: () => dependencies.degraded(),
        ready: () => {
          if (windower.shuttingDown) return { ready: false, reason: 'shutting down', retryAfterSeconds: 5 };
          const pushing = windower.pushingBack;
          if (pushing) return { ready: false, reason: 'buffer full: senders are told to retry (HTTP 429, Forward held)', retryAfterSeconds: pushing.retryAfterSeconds };
          return { ready: true };
        },
      }),
    );
    app.use(feedbackRouter(desk));
    app.use(createHttpSource({ config: httpCfg, intake, metrics, logger, normalize: config.normalize, now }));
    app.use((req, res) => {
      res.status(404).json({ error: `no route for ${req.method} ${req.path}: records go to POST ${httpCfg.paths.join(' or ')}`, code: 404 });
    });
    httpServer = createServer(app);
    httpServer.maxConnections = httpCfg.max_connections;
    httpServer.requestTimeout = httpCfg.request_timeout_seconds * 1000;
    httpServer.headersTimeout = Math.min(httpServer.headersTimeout, httpServer.requestTimeout);
  }

  let forward: ForwardSource | undefined;
  const fwdCfg = config.sources.forward;
  try {
    if (httpServer) {
      await listen(httpServer, 'http', httpCfg.port, httpCfg.address);
      const a = httpServer.address() as AddressInfo;
      lookout.http = { address: a.address, port: a.port };
      logger.info({ address: a.address, port: a.port }, 'http source listening');
    }
    if (fwdCfg.enabled) {
      forward = createForwardSource({ config: fwdCfg, intake, metrics, logger, normalize: config.normalize, now });
      try {
        lookout.forward = await forward.listen();
      } catch (err) {
        throw new ListenError('forward', fwdCfg.address, fwdCfg.port, err as NodeJS.ErrnoException);
      }
    }
  } catch (err) {
    clearInterval(ticker);
    clearInterval(snapshotter);
    dependencies.stop();
    if (httpServer?.listening) await new Promise((resolve) => httpServer!.close(resolve));
    await analyzer.close?.();
    throw err;
  }

  let stopping: Promise<ShutdownReport> | undefined;
  function shutdown(): Promise<ShutdownReport> {
    stopping ??= (async () => {
      const deadline = Date.now() + config.shutdown.drain_timeout_seconds * 1000;
      logger.info({ buffered: windower.buffered }, 'shutting down: flushing open windows');
      clearInterval(ticker);
      clearInterval(snapshotter);
      dependencies.stop();
      // Windows waiting on a model would hold the drain up to its timeout: finish them on the detector instead.
      analyzer.abortPending?.();
      const draining = pipeline.drain(Math.max(0, deadline - Date.now()));
      const closingForward = forward ? forward.close() : Promise.resolve();
      const windowsDrained = await draining;
      await snapshotting;
      await pipeline.close(Math.max(1000, deadline - Date.now()));
      // HTTP listened until now, answering 503 + Retry-After, so senders retry elsewhere or later instead of failing.
      const closingHttp = httpServer?.listening ? new Promise<void>((resolve) => httpServer!.close(() => resolve())) : Promise.resolve();
      httpServer?.closeAllConnections();
      await Promise.all([closingHttp, closingForward]);
      const recordsReceived = await counterTotal(metrics, 'recordsReceived');
      const recordsAnalyzed = await counterTotal(metrics, 'recordsAnalyzed');
      const anomaliesLost = await anomaliesLostAtClose(metrics);
      const report = {
        recordsReceived,
        recordsAnalyzed,
        anomaliesLost,
        drained: windowsDrained && recordsReceived === recordsAnalyzed && anomaliesLost === 0,
      };
      if (report.drained) logger.info(report, 'shut down');
      else logger.error(report, 'shut down: accepted data was lost (see the errors above)');
      return report;
    })();
    return stopping;
  }

  return lookout;
}
