/**
 * Operational endpoints beside the HTTP source: /healthz (process alive),
 * /readyz (accepting records: not shutting down, buffer not pushing back; 503 +
 * Retry-After otherwise) and
 * /metrics (Prometheus text exposition format,
 * https://prometheus.io/docs/instrumenting/exposition_formats/).
 */
import express from 'express';
import type { Metrics } from '../telemetry/metrics.js';

export interface Readiness {
  ready(): { ready: true } | { ready: false; reason: string; retryAfterSeconds: number };
}

export function opsRouter(metrics: Metrics, readiness: Readiness): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    const state = readiness.ready();
    if (state.ready) res.json({ status: 'ready' });
    else res.status(503).setHeader('Retry-After', String(state.retryAfterSeconds)).json({ status: 'not_ready', reason: state.reason, retry_after_seconds: state.retryAfterSeconds });
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
