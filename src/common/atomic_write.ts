/**
 * Atomic file replacement: write a temporary file beside the target, flush it
 * to disk, then rename it over the target (rename(2) is atomic within one file
 * system, https://man7.org/linux/man-pages/man2/rename.2.html). A crash or
 * OOM kill at any point leaves either the previous file or the new one, never
 * a torn mix. Concurrent writers to one path each use their own temporary file.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

let sequence = 0;

export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${++sequence}.tmp`;
  try {
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
