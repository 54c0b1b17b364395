/**
 * Test harness for the HTTP source: a real Express server on 127.0.0.1 (port 0)
 * with the router mounted, a CollectingIntake behind it, and a raw
 * http.request client that sends headers exactly as given (order, duplicates).
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { HttpSourceConfigSchema, type HttpSourceConfig } from '../../../src/sources/http/config.js';
import { createHttpSource } from '../../../src/sources/http/router.js';
import { createLogger } from '../../../src/telemetry/log.js';
import { createMetrics, type Metrics } from '../../../src/telemetry/metrics.js';
import { CollectingIntake } from '../../support/collecting_intake.js';

export const OBSERVED_AT = 1_800_000_000_000;

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

export interface Harness {
  port: number;
  intake: CollectingIntake;
  metrics: Metrics;
  /** Sends a POST; `headers` is a flat [name, value, name, value, …] list, sent in that order. */
  post(path: string, body: Buffer | string, headers?: string[]): Promise<Reply>;
  close(): Promise<void>;
}

export async function startHarness(overrides: Record<string, unknown> = {}): Promise<Harness> {
  const config: HttpSourceConfig = HttpSourceConfigSchema.parse(overrides);
  const intake = new CollectingIntake();
  const metrics = createMetrics();
  const app = express();
  app.use(createHttpSource({ config, intake, metrics, logger: createLogger('silent'), now: () => OBSERVED_AT }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: false });

  const post = (path: string, body: Buffer | string, headers: string[] = []): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      const has = (name: string) => headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === name);
      // With a header list Node adds neither Host nor Content-Length by itself.
      const sent = [
        ...(has('host') ? [] : ['Host', `127.0.0.1:${port}`]),
        ...headers,
        ...(has('content-length') || has('transfer-encoding') ? [] : ['Content-Length', String(payload.length)]),
      ];
      const req = http.request({
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: sent,
        timeout: 20_000,
      });
      let gotResponse = false;
      req.on('response', (res) => {
        gotResponse = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      // The server may answer (413) and close before the whole body is written; its reply still counts.
      req.on('error', (err) => {
        if (gotResponse || (err as NodeJS.ErrnoException).code === 'EPIPE') return;
        reject(err);
      });
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      // Several writes, so a chunked body really arrives in pieces.
      for (let i = 0; i < payload.length; i += 64 * 1024) req.write(payload.subarray(i, i + 64 * 1024));
      req.end();
    });

  return {
    port,
    intake,
    metrics,
    post,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Value of a counter with the given labels (0 when never incremented). */
export async function counterValue(metrics: Metrics, name: keyof Metrics, labels: Record<string, string>): Promise<number> {
  const metric = metrics[name] as { get(): Promise<{ values: Array<{ value: number; labels: Record<string, unknown> }> }> };
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val));
  return hit?.value ?? 0;
}
