/**
 * One HTTP request for a sink transport, over Node's fetch (undici), with the
 * status policy Vector's HTTP sinks use: 2xx is success; 408, 429 and 5xx
 * except 501 are retryable (honouring Retry-After); every other status is a
 * permanent rejection. Connection errors and timeouts are retryable.
 * Optional gzip body compression (Content-Encoding: gzip).
 */
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { parseRetryAfter } from '../../common/backoff.js';
import { HttpRejectedError, HttpStatusError, RetryableDeliveryError } from './errors.js';

const gzip = promisify(gzipCb);

export interface HttpRequest {
  sink: string;
  url: string;
  method?: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  compression?: 'none' | 'gzip';
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

export async function sendHttp(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...req.headers };
  let body: string | Uint8Array<ArrayBuffer> = req.body;
  if (req.compression === 'gzip') {
    body = new Uint8Array(await gzip(req.body));
    headers['content-encoding'] = 'gzip';
  }
  let res: Response;
  let text: string;
  try {
    res = await fetch(req.url, {
      method: req.method ?? 'POST',
      headers,
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(req.timeoutMs)]),
    });
    text = await res.text();
  } catch (err) {
    const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new RetryableDeliveryError(`request to ${req.url} failed: ${reason}`, req.sink, undefined, { cause: err });
  }
  if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, text };
  if (isRetryableStatus(res.status)) {
    throw new HttpStatusError(req.sink, req.url, res.status, text, parseRetryAfter(res.headers.get('retry-after'), Date.now()));
  }
  throw new HttpRejectedError(req.sink, req.url, res.status, text);
}
