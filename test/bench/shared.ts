/** Where the read-only shared material lives (beside the repo), and whether this checkout has it. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LOGHUB_DIR = resolve(REPO_ROOT, '../shared/datasets/loghub');

/** Says so on stdout and returns false when the Loghub samples are not beside the repo. */
export function haveLoghub(): boolean {
  if (existsSync(LOGHUB_DIR)) return true;
  process.stdout.write(`skipped: ${LOGHUB_DIR} not found (the Loghub samples live in ../shared, never in this repo)\n`);
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
