/**
 * Options of the file source (`sources.file` in the config, used by
 * `lookout analyze`); `--format`, `--pattern` and `--timestamp-format` on the
 * command line override them. A pattern is compiled here, so a bad regex or
 * layout fails at start-up with the reason.
 */
import { z } from 'zod';
import { FORMAT_OPTIONS } from './formats.js';
import { compilePattern, PatternError } from './pattern.js';

export const DEFAULT_BATCH_SIZE = 1000;

export const FilePatternSchema = z
  .object({
    /** JavaScript regex with named groups timestamp, level, service, host, message (others become fields). */
    regex: z.string().min(1),
    /** strptime layout of the timestamp group; ISO 8601 and epoch numbers without it. */
    timestamp_format: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    try {
      compilePattern(spec);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, path: err.message.startsWith('timestamp_format') ? ['timestamp_format'] : ['regex'] });
    }
  });

export const FileSourceConfigSchema = z
  .object({
    /** Line format; `auto` detects it from the first 50 non-empty lines (or uses `pattern` when set). */
    format: z.enum(FORMAT_OPTIONS).default('auto'),
    /** A user-defined line format; used when `format` is `auto` or `pattern`. */
    pattern: FilePatternSchema.optional(),
    /** Records handed to the windows per batch; bounds the reader's memory. */
    batch_size: z.number().int().min(1).max(100_000).default(DEFAULT_BATCH_SIZE),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.format === 'pattern' && !cfg.pattern) {
      ctx.addIssue({ code: 'custom', message: 'format "pattern" needs sources.file.pattern.regex (or --pattern)', path: ['format'] });
    }
    if (cfg.pattern && cfg.format !== 'auto' && cfg.format !== 'pattern') {
      ctx.addIssue({ code: 'custom', message: `a pattern is set but format is "${cfg.format}": use format pattern (or auto)`, path: ['format'] });
    }
  });
