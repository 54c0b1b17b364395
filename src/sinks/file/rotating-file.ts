/**
 * RotatingFile: appends lines to a file and rotates it by size, logrotate
 * style: before a write would take `path` past `max_bytes`, `path.<n>` moves
 * to `path.<n+1>` (the oldest beyond `max_files` is deleted) and `path` becomes
 * `path.1`. A line is never split across files; a single line larger than
 * `max_bytes` gets a file of its own. Calls must not overlap (the delivery
 * queue runs one batch at a time).
 */
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export class RotatingFile {
  private handle: FileHandle | undefined;
  private size = 0;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly maxFiles: number,
  ) {}

  async append(lines: string[]): Promise<void> {
    await this.ensureOpen();
    let chunk = '';
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (this.size + chunkBytes + bytes > this.maxBytes && this.size + chunkBytes > 0) {
        await this.write(chunk, chunkBytes);
        chunk = '';
        chunkBytes = 0;
        await this.rotate();
      }
      chunk += line;
      chunkBytes += bytes;
    }
    await this.write(chunk, chunkBytes);
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async write(chunk: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    await this.handle!.appendFile(chunk);
    this.size += bytes;
  }

  private async ensureOpen(): Promise<void> {
    if (this.handle) return;
    await mkdir(dirname(this.path), { recursive: true });
    this.handle = await open(this.path, 'a');
    this.size = (await stat(this.path)).size;
  }

  private async rotate(): Promise<void> {
    await this.close();
    if (this.maxFiles === 0) {
      await rm(this.path, { force: true });
    } else {
      await rm(`${this.path}.${this.maxFiles}`, { force: true });
      for (let n = this.maxFiles - 1; n >= 1; n--) await renameIfExists(`${this.path}.${n}`, `${this.path}.${n + 1}`);
      await rename(this.path, `${this.path}.1`);
    }
    await this.ensureOpen();
  }
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
