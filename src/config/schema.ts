/**
 * The root configuration: one YAML file (`--config`), then `LOOKOUT_…`
 * environment overrides, then CLI flags. Each component owns its own schema
 * (in its folder, like Vector's per-component config); this file only puts
 * them together. Every key is validated at start-up; unknown keys are errors.
 */
import { z } from 'zod';
import { DetectorConfigSchema } from '../analysis/detector/config.js';
import { LlmConfigSchema } from '../analysis/llm/config.js';
import { FileSourceConfigSchema } from '../sources/file/config.js';
import { ForwardSourceConfigSchema } from '../sources/forward/config.js';
import { HttpSourceConfigSchema } from '../sources/http/config.js';
import { NormalizeConfigSchema } from '../sources/normalize.js';
import { NotificationsConfigSchema, SinksConfigSchema } from '../sinks/config.js';
import { WindowsConfigSchema } from '../windows/config.js';

export const LookoutConfigSchema = z
  .object({
    sources: z
      .object({
        http: HttpSourceConfigSchema.prefault({}),
        forward: ForwardSourceConfigSchema.prefault({}),
        file: FileSourceConfigSchema.prefault({}),
      })
      .strict()
      .prefault({}),
    normalize: NormalizeConfigSchema.prefault({}),
    windows: WindowsConfigSchema.prefault({}),
    analysis: z
      .object({
        /** Windows analyzed at once; analysis runs off the request path. */
        concurrency: z.number().int().min(1).max(64).default(2),
        /** Detector worker threads (shards); unset = one per CPU core beyond the first, at least 1; 0 = on the main thread. */
        workers: z.number().int().min(0).max(64).optional(),
        /** Directory where learned templates and baselines are saved (periodically and at shutdown) and loaded at start; none when unset. */
        state_path: z.string().min(1).optional(),
        /** With state_path: seconds between snapshots of the learned state while running (0 = at shutdown only), so a crash loses at most this much. */
        state_snapshot_seconds: z.number().int().min(0).max(86_400).default(60),
        /** Rules file (JSON or YAML) that mutes or lowers findings and keeps feedback; `<state_path>/rules.json` by default. */
        rules: z.string().min(1).optional(),
        detector: DetectorConfigSchema.prefault({}),
        /** Present (or given by --llm-base-url / --llm-model) to enable the LLM; absent means the embedded detector alone. */
        llm: LlmConfigSchema.optional(),
      })
      .strict()
      .prefault({}),
    sinks: SinksConfigSchema,
    notifications: NotificationsConfigSchema.prefault({}),
    /** Static labels copied into every anomaly record's `labels`. */
    labels: z.record(z.string(), z.string()).default({}),
    shutdown: z
      .object({
        /** Time allowed at SIGTERM/SIGINT to analyze every open window and deliver its anomalies. */
        drain_timeout_seconds: z.number().min(1).max(3600).default(30),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type LookoutConfig = z.infer<typeof LookoutConfigSchema>;
