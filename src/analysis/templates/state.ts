/**
 * Saved miner state: the JSON a miner writes on `save()` and reads back on
 * `load()`, so a restart keeps what "normal" looks like. Versioned; a file
 * from another version or failing validation is rejected, never half-loaded.
 * Templates are listed least recently used first, so loading replays the
 * eviction order.
 */
import { z } from 'zod';

export const MINER_STATE_VERSION = 1;

const ClusterStateSchema = z
  .object({
    /** Tree keys from the token-count layer down to the leaf. */
    path: z.array(z.string()).min(1),
    tokens: z.array(z.string()),
    /** Positions holding a placeholder or `<*>`. */
    variables: z.array(z.number().int().nonnegative()),
  })
  .strict();

const TemplateStateSchema = z
  .object({
    id: z.string().regex(/^t[0-9a-f]{12}$/),
    count: z.number().int().nonnegative(),
    firstSeen: z.number(),
    lastSeen: z.number(),
    examples: z.array(z.string()),
    clusters: z.array(ClusterStateSchema).min(1),
  })
  .strict();

export const MinerStateSchema = z
  .object({
    version: z.literal(MINER_STATE_VERSION),
    templates: z.array(TemplateStateSchema),
  })
  .strict();

export type MinerState = z.infer<typeof MinerStateSchema>;
export type TemplateState = z.infer<typeof TemplateStateSchema>;
