/**
 * The HTTP source: an Express router that accepts log batches POSTed by
 * Vector's `http` sink and Fluent Bit's `out_http` (wire-formats.md §1, §3)
 * on every configured path.
 *
 * Per request: auth → body (bounded, and counted against the bytes in flight
 * on all connections) → Content-Encoding undone (bounded while inflating) →
 * format from Content-Type or sniffed → decoded records (count, estimated heap
 * and depth bounded while decoding) → normalize() → one all-or-nothing
 * Intake.admit.
 * Guarantees: 200 `{"accepted":N}` only after admit said ok, so nothing the
 * sender was told is delivered can be lost before the windows hold it; back
 * pressure is 429 (buffer full) / 503 (shutting down) with Retry-After, which
 * both senders retry without dropping; 400/401/413/415, which they drop, only
 * for requests that could never succeed. Records of one request keep their
 * order. Every error body is short JSON (Fluent Bit logs response bodies).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Intake } from '../intake.js';
import { DEFAULT_NORMALIZE, normalize, type NormalizeConfig, type NormalizeContext } from '../normalize.js';
import type { Metrics } from '../../telemetry/metrics.js';
import type { Logger } from '../../telemetry/log.js';
import { createAuthenticator } from './auth.js';
import { BodyBuffers, ClientAbortedError, readBody } from './body.js';
import type { HttpSourceConfig } from './config.js';
import { InflightBytes } from '../inflight.js';
import { parseContentEncoding, sniffContentCoding, undoContentCodings } from './encoding/content_encoding.js';
import { HttpSourceError, OverloadedError, PayloadTooLargeError, UnauthorizedError, type RejectReason } from './errors.js';
import { decodeBody, formatFromContentType, sniffFormat, type BodyFormat } from './format/body_format.js';

export interface HttpSourceOptions {
  config: HttpSourceConfig;
  intake: Intake;
  metrics: Metrics;
  logger: Logger;
  normalize?: NormalizeConfig;
  /** Clock for observedAt (epoch ms); tests pin it. */
  now?: () => number;
}

function headerValue(req: Request, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function createHttpSource(opts: HttpSourceOptions): Router {
  const { config, intake, metrics, logger } = opts;
  const normalizeConfig = opts.normalize ?? DEFAULT_NORMALIZE;
  const now = opts.now ?? Date.now;
  const authenticator = createAuthenticator(config.auth);
  const log = logger.child({ component: 'source.http' });
  const router = express.Router();
  if (!config.enabled) return router;
  const inflight = new InflightBytes(config.max_inflight_bytes);
  const buffers = new BodyBuffers();
  const limits = { maxRecords: config.max_records_per_request, maxDecodedBytes: config.max_decoded_bytes, maxDepth: config.max_nesting_depth };

  const reply = (res: Response, status: number, body: Record<string, unknown>) => {
    metrics.requestsTotal.inc({ source: 'http', status: String(status) });
    // Node's own response API: Express's res.json() costs more than decoding a small batch.
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  };

  const refuse = (req: Request, res: Response, status: number, reason: RejectReason, error: string, context: Record<string, unknown>, records = 1) => {
    metrics.recordsRejected.inc({ reason }, records);
    log.warn({ remote: req.socket.remoteAddress, path: req.path, reason, status, ...context }, `http request refused: ${error}`);
    reply(res, status, { error, code: status, ...context });
  };

  const handle = async (req: Request, res: Response): Promise<void> => {
    let format: BodyFormat | undefined;
    let held = 0;
    let pooled: Buffer | undefined;
    try {
      if (authenticator && !authenticator.accepts(req.headers.authorization)) throw new UnauthorizedError(authenticator.challenges);
      const received = await readBody(req, config.max_body_bytes, inflight, buffers);
      const body = received.bytes;
      pooled = received.pooled;
      held = body.length;
      if (body.length === 0) return reply(res, 200, { accepted: 0 });

      const contentType = headerValue(req, 'content-type');
      const explicitFormat = formatFromContentType(contentType);
      const codings = parseContentEncoding(headerValue(req, 'content-encoding'));
      const sniffed = codings.length === 0 ? sniffContentCoding(body, explicitFormat === undefined) : undefined;
      const decompressed = await undoContentCodings(body, sniffed ? [sniffed] : codings, config.max_decompressed_bytes);
      if (decompressed.length > config.max_decompressed_bytes) {
        throw new PayloadTooLargeError('max_decompressed_bytes', config.max_decompressed_bytes, `body is ${decompressed.length} bytes`);
      }

      format = explicitFormat ?? sniffFormat(decompressed);
      const decoded = decodeBody(format, decompressed, limits);
      format = decoded.format;

      const observedAt = now();
      const tag = headerValue(req, config.tag_header);
      // One context for the batch, its per-record parts set before each call: normalize keeps no reference to it.
      const ctx: NormalizeContext = { source: 'http', observedAt, tag, transportTime: undefined, rawSize: undefined, dropFields: intake.readsFields === false };
      const records = decoded.records.map((r) => {
        ctx.transportTime = r.transportTime;
        ctx.rawSize = r.size;
        return normalize(r.fields, ctx, normalizeConfig);
      });
      if (records.length > 0) {
        const admission = intake.admit(records, `http:${req.socket.remoteAddress}`);
        if (!admission.ok && admission.reason === 'too_large') {
          // It could never fit, however long the sender retried: 413, which Vector and Fluent Bit do not retry.
          const error = `${records.length} records (${admission.actual} ${admission.limit.endsWith('bytes') ? 'bytes' : 'records'}) exceed ${admission.limit} = ${admission.limitValue}: send smaller batches or raise the limit`;
          return refuse(req, res, 413, 'too_large', error, { format, limit: admission.limit }, records.length);
        }
        if (!admission.ok) {
          res.setHeader('Retry-After', String(admission.retryAfterSeconds));
          const [status, error] = admission.reason === 'buffer_full' ? [429, 'buffer full, retry later'] : [503, 'shutting down, retry later'];
          return refuse(req, res, status, admission.reason, error, { format, retry_after_seconds: admission.retryAfterSeconds }, records.length);
        }
        metrics.recordsReceived.inc({ source: 'http', format }, records.length);
      }
      reply(res, 200, { accepted: records.length });
    } catch (err) {
      if (err instanceof HttpSourceError) {
        if (err instanceof UnauthorizedError) res.setHeader('WWW-Authenticate', err.challenges);
        // The rest of the body is not read; the connection cannot be reused.
        if ((err instanceof PayloadTooLargeError && err.limitName === 'max_body_bytes') || err instanceof OverloadedError) res.setHeader('Connection', 'close');
        if (err instanceof OverloadedError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return refuse(req, res, err.status, err.reason, err.message, { ...(format ? { format } : {}), ...err.context });
      }
      if (err instanceof ClientAbortedError) {
        log.debug({ remote: req.socket.remoteAddress }, err.message);
        return;
      }
      log.error({ err, remote: req.socket.remoteAddress, format }, 'http request failed');
      if (!res.headersSent) reply(res, 500, { error: 'internal error', code: 500 });
    } finally {
      inflight.release(held);
      if (pooled) buffers.give(pooled);
    }
  };

  for (const path of config.paths) {
    router.post(path, (req, res) => handle(req, res));
    // Vector's optional healthcheck sends HEAD and passes only on exactly 200.
    router.head(path, (_req, res) => {
      res.status(200).end();
    });
    router.all(path, (req, res) => {
      res.setHeader('Allow', 'POST, HEAD');
      reply(res, 405, { error: `${req.method} is not allowed here: send records with POST`, code: 405 });
    });
  }
  return router;
}
