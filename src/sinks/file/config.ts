/** `file` sink options: NDJSON file with size-based rotation. */
import { z } from 'zod';
import { bufferShape, retryShape } from '../delivery/config.js';

export const fileOptionsShape = {
  /** File to append to; rotated copies are `<path>.1` (newest) … `<path>.<max_files>`. */
  path: z.string().min(1),
  /** Rotate before a write would take the file past this size. */
  max_bytes: z.number().int().min(1024).default(10 * 1024 * 1024),
  /** Rotated files kept besides the active one (0: truncate instead of keeping history). */
  max_files: z.number().int().min(0).max(1000).default(5),
  ...bufferShape(100),
  ...retryShape,
};
export const FileSinkOptionsSchema = z.strictObject(fileOptionsShape);
export type FileSinkOptions = z.output<typeof FileSinkOptionsSchema>;
