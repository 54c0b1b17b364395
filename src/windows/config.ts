/**
 * Window options: what makes a stream, which clock boxes windows, their size,
 * and the global buffer bounds beyond which sources push back (HTTP 429,
 * Forward stops reading) instead of dropping records.
 */
import { z } from 'zod';

export const WindowsConfigSchema = z
  .object({
    /** Record fields whose values make the stream key; `service` and `host` are the normalized ones. */
    key_fields: z.array(z.string().min(1)).min(1).default(['service', 'host']),
    /** Which clock boxes windows: the records' own timestamps, or when Lookout received them. */
    time: z.enum(['event', 'arrival']).default('arrival'),
    duration_seconds: z.number().int().min(1).max(86_400).default(300),
    /**
     * Arrival mode: a record whose own time is further than this from its arrival (a backlog, a skewed clock, local
     * time without an offset) is placed at arrival minus (late) or plus (early) this, so no signal misses it.
     */
    clock_tolerance_seconds: z.number().int().min(0).max(3600).default(60),
    /** A window closes early at this many lines; 50–200 keeps an LLM prompt small and still meaningful. */
    max_lines: z.number().int().min(10).max(10_000).default(200),
    /** Event-time mode: close a window whose stream has sent nothing for this long (wall clock), since no later record will. */
    idle_seconds: z.number().int().min(1).max(86_400).default(60),
    /** Global bounds over open windows and windows waiting for analysis; beyond them sources push back. */
    max_buffered_records: z.number().int().min(100).default(200_000),
    max_buffered_bytes: z.number().int().min(1024 * 1024).default(512 * 1024 * 1024),
    /** Bound on distinct open streams, so a cardinality explosion flushes early instead of growing without end. */
    max_open_windows: z.number().int().min(1).default(10_000),
  })
  .strict();

export type WindowsConfig = z.infer<typeof WindowsConfigSchema>;
