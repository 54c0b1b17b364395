/** Where the read-only shared material lives (beside the repo), and whether this checkout has it. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** `LOOKOUT_LOGHUB_DIR` points the benches at another copy with the same layout (`<System>/<System>_2k.*`). */
export const LOGHUB_DIR = resolve(process.env.LOOKOUT_LOGHUB_DIR || resolve(REPO_ROOT, '../shared/datasets/loghub'));

/** Says so on stdout and returns false when the Loghub samples are not beside the repo. */
export function haveLoghub(): boolean {
  if (existsSync(LOGHUB_DIR)) return true;
  process.stdout.write(`skipped: ${LOGHUB_DIR} not found (the Loghub samples live in ../shared or LOOKOUT_LOGHUB_DIR, never in this repo)\n`);
  return false;
}

/**
 * Runs a load client (its source as a string) on a worker thread, so the load it sends is not paced by the
 * bench's own event loop; resolves with the one message it posts, rejects when that message carries an error.
 */
export function runLoadClient<T extends { error?: string }>(source: string, workerData: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData });
    worker.once('message', (m: T) => {
      void worker.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

/**
 * A Vector `http` sink event for the benches: keys sorted as Vector serializes them, ~200 bytes,
 * 8 hosts (8 streams of service "checkout"); `message` defaults to an access-log line.
 */
export function vectorEvent(i: number, message = accessLine(i)): Record<string, unknown> {
  return {
    file: '/var/log/app/checkout.log',
    host: `web-${i % 8}`,
    message,
    source_type: 'file',
    timestamp: new Date(Date.UTC(2026, 10, 24, 10) + i).toISOString(),
  };
}

function accessLine(i: number): string {
  return `GET /api/v1/orders/${100000 + i} 200 ${(i % 97) + 3}ms user=u${i % 5000} trace=${(i * 2654435761) % 4294967296}`;
}
