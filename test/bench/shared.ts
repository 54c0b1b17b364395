/** Where the read-only shared material lives (beside the repo), and whether this checkout has it. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LOGHUB_DIR = resolve(REPO_ROOT, '../shared/datasets/loghub');

/** Says so on stdout and returns false when the Loghub samples are not beside the repo. */
export function haveLoghub(): boolean {
  if (existsSync(LOGHUB_DIR)) return true;
  process.stdout.write(`skipped: ${LOGHUB_DIR} not found (the Loghub samples live in ../shared, never in this repo)\n`);
  return false;
}
