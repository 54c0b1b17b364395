/**
 * Options of the file source (`sources.file` in the config, used by
 * `lookout analyze`); `--format` on the command line overrides `format`.
 */
import { z } from 'zod';
import { FORMAT_OPTIONS } from './formats.js';

export const DEFAULT_BATCH_SIZE = 1000;

export const FileSourceConfigSchema = z
  .object({
    /** Line format; `auto` detects it from the first 50 non-empty lines. */
    format: z.enum(FORMAT_OPTIONS).default('auto'),
    /** Records handed to the windows per batch; bounds the reader's memory. */
    batch_size: z.number().int().min(1).max(100_000).default(DEFAULT_BATCH_SIZE),
  })
  .strict();
