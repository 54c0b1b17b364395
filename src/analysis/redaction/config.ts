/**
 * Redaction options (the `llm.redaction` block). Secrets and personal data
 * are always redacted before a window leaves the process; these options add
 * IP addresses and the user's own patterns.
 */
import { z } from 'zod';

export const CustomPatternSchema = z
  .object({
    /** Placeholder kind: `internal_id` -> `<INTERNAL_ID_1>`. */
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'letters, digits and _ only, starting with a letter'),
    /** JavaScript regular expression; when it has a capture group, only group 1 is replaced. */
    regex: z.string().min(1),
    /** Case-insensitive matching. */
    ignore_case: z.boolean().default(false),
  })
  .strict()
  .superRefine((p, ctx) => {
    try {
      new RegExp(p.regex);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['regex'], message: `invalid regular expression: ${(err as Error).message}` });
      return;
    }
    if (new RegExp(p.regex).test('')) {
      ctx.addIssue({ code: 'custom', path: ['regex'], message: 'pattern matches the empty string' });
    }
  });
export type CustomPattern = z.infer<typeof CustomPatternSchema>;

export const RedactionConfigSchema = z
  .object({
    ip_addresses: z.boolean().default(false),
    patterns: z.array(CustomPatternSchema).default([]),
    /** Distinct values remembered per window for stable placeholders; later ones still get redacted, with fresh numbers. */
    max_values: z.number().int().min(1).default(10_000),
  })
  .strict();
export type RedactionConfig = z.infer<typeof RedactionConfigSchema>;
