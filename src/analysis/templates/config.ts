/**
 * Miner configuration (the `templates` block of the analysis config): one set
 * of options for every log stream, no per-format rules.
 */
import { z } from 'zod';

const compiles = (pattern: string): boolean => {
  try {
    new RegExp(pattern, 'g');
    return true;
  } catch {
    return false;
  }
};

export const ExtraMaskConfigSchema = z
  .object({
    /** Placeholder name: matches read `<name>` in templates. */
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
    /** JavaScript regular expression applied inside each token; it cannot span whitespace. */
    pattern: z.string().min(1).refine(compiles, 'not a valid regular expression'),
  })
  .strict();

export const MinerConfigSchema = z
  .object({
    similarity_threshold: z.number().min(0).max(1).default(0.4),
    depth: z.number().int().min(3).max(16).default(4),
    max_children: z.number().int().min(2).max(100_000).default(100),
    max_templates: z.number().int().min(1).max(10_000_000).default(5000),
    max_examples: z.number().int().min(0).max(3).default(3),
    max_example_chars: z.number().int().min(16).max(65_536).default(512),
    max_tokens: z.number().int().min(4).max(4096).default(256),
    merge_variable_length: z.boolean().default(true),
    extra_masks: z.array(ExtraMaskConfigSchema).max(64).default([]),
  })
  .strict();

export type MinerConfig = z.infer<typeof MinerConfigSchema>;
