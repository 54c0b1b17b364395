/**
 * Operational endpoints beside the HTTP source: /healthz (process alive),
 * /readyz (accepting records: not shutting down, buffer not pushing back; 503 +
 * Retry-After otherwise; the body also lists dependencies that do not answer,
 * which do not make it unready: sinks queue and retry, analysis falls back to
 * the detector),
 * /metrics (Prometheus text exposition format,
 * https://prometheus.io/docs/instrumenting/exposition_formats/) and
 * /v1/streams (per-stream counters, see streams.ts).
 */
import express from 'express';
import type { ProbeResult } from '../common/probe.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { StreamTable } from './streams.js';

export interface Readiness {
  ready(): { ready: true } | { ready: false; reason: string; retryAfterSeconds: number };
  /** Dependencies that did not answer at their last check. */
  degraded(): ProbeResult[];
}

export function opsRouter(metrics: Metrics, streams: StreamTable, readiness: Readiness): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    const state = readiness.ready();
    const degraded = readiness.degraded().map(({ kind, name, target, detail }) => ({ kind, name, target, detail }));
    if (state.ready) res.json({ status: degraded.length > 0 ? 'degraded' : 'ready', degraded });
    else {
      res.setHeader('Retry-After', String(state.retryAfterSeconds));
      res.status(503).json({ status: 'not_ready', reason: state.reason, retry_after_seconds: state.retryAfterSeconds, degraded });
    }
  });
  router.get('/v1/streams', (_req, res) => {
    const list = streams.list();
    res.json({ streams: list, count: list.length });
  });
  router.get('/metrics', async (_req, res, next) => {
    try {
      const body = await metrics.registry.metrics();
      res.type(metrics.registry.contentType).send(body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
