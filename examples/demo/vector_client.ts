/**
 * Sends events to Lookout's HTTP source exactly as Vector's `http` sink does
 * with `encoding.codec = "json"`, `framing.method = "newline_delimited"` and
 * `compression = "gzip"` (/work/shared/docs/wire-formats.md §1; Vector
 * src/sinks/http/encoder.rs): one JSON object per event with keys sorted at
 * every level (Vector serializes from a BTreeMap), joined by `\n` with no
 * trailing newline, gzip-compressed, `Content-Type: application/x-ndjson`,
 * `Content-Encoding: gzip`, Vector's User-Agent and `Accept-Encoding: identity`.
 *
 * Guarantees: batches go out one at a time, in order. Like Vector's default
 * retry strategy, 408, 429 and 5xx other than 501 (and transport errors) are
 * retried with Fibonacci back-off; Vector starts at 1 s, the demo at 50 ms so
 * a replay is not slowed down, and gives up after `giveUpAfterMs` instead of
 * retrying forever. Any other status fails loudly with VectorSendError where
 * Vector would silently drop the batch.
 */
import { gzipSync } from 'node:zlib';

export const VECTOR_USER_AGENT = 'Vector/0.58.0 (x86_64-unknown-linux-gnu c3445d4 2026-08-21)';

export interface VectorRequest {
  headers: Record<string, string>;
  body: Buffer;
}

export class VectorSendError extends Error {
  constructor(
    message: string,
    readonly batch: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'VectorSendError';
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** JSON with object keys in byte order at every level, as serde_json writes a BTreeMap. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** One request body and its headers for a batch of events. */
export function encodeBatch(events: readonly object[]): VectorRequest {
  const ndjson = events.map(sortedJson).join('\n');
  return {
    headers: {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      'user-agent': VECTOR_USER_AGENT,
      'accept-encoding': 'identity',
    },
    body: gzipSync(Buffer.from(ndjson, 'utf8')),
  };
}

/** Vector's retriable statuses under the default retry strategy (wire-formats.md §1.6). */
export function isRetriable(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

export interface SendOptions {
  /** Events per request; Vector's http sink batches by bytes and a 1 s timeout, the demo by count. */
  batchSize?: number;
  /** First back-off step; the steps follow the Fibonacci sequence from it. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Stop retrying one batch after this long. */
  giveUpAfterMs?: number;
  /** Called before each request (e.g. to show progress). */
  onBatch?: (index: number, total: number) => void;
}

export interface SendReport {
  requests: number;
  retries: number;
  events: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function sendEvents(url: string, events: readonly object[], opts: SendOptions = {}): Promise<SendReport> {
  const batchSize = opts.batchSize ?? 1000;
  const initial = opts.retryInitialMs ?? 50;
  const max = opts.retryMaxMs ?? 1000;
  const giveUp = opts.giveUpAfterMs ?? 60_000;
  const batches = Math.ceil(events.length / batchSize);
  const report: SendReport = { requests: 0, retries: 0, events: 0 };
  for (let i = 0; i < batches; i++) {
    const batch = events.slice(i * batchSize, (i + 1) * batchSize);
    const request = encodeBatch(batch);
    opts.onBatch?.(i, batches);
    const deadline = Date.now() + giveUp;
    let [prev, step] = [0, initial];
    for (;;) {
      report.requests++;
      let status: number | undefined;
      let failure: string;
      try {
        const res = await fetch(url, { method: 'POST', headers: request.headers, body: new Uint8Array(request.body) });
        status = res.status;
        const text = await res.text();
        if (res.ok) break;
        failure = `HTTP ${status}: ${text.slice(0, 200)}`;
        if (!isRetriable(status)) throw new VectorSendError(`batch ${i + 1}/${batches} rejected with ${failure}`, i, status);
      } catch (err) {
        if (err instanceof VectorSendError) throw err;
        failure = `transport error: ${(err as Error).message}`;
      }
      if (Date.now() + step > deadline) throw new VectorSendError(`batch ${i + 1}/${batches} still failing after ${giveUp} ms: ${failure}`, i, status);
      report.retries++;
      await sleep(step);
      [prev, step] = [step, Math.min(max, prev + step)];
    }
    report.events += batch.length;
  }
  return report;
}
