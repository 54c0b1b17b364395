/**
 * Options of the HTTP source (Vector `http` sink and Fluent Bit `out_http` → Lookout).
 *
 * Size limits default above what the senders produce on their own: Vector
 * batches up to 10 MB *before* compression (wire-formats.md §1.4), so a
 * barely compressible batch can exceed 10 MiB on the wire.
 */
import { z } from 'zod';

const MiB = 1024 * 1024;

export const HttpAuthConfigSchema = z
  .object({
    /** `Authorization: Bearer <token>` (Vector auth.strategy bearer, Fluent Bit oauth2). */
    bearer_token: z.string().min(1).optional(),
    /** `Authorization: Basic …` (Vector auth.strategy basic, Fluent Bit http_user / http_passwd). */
    basic: z.object({ user: z.string().min(1), password: z.string() }).strict().optional(),
  })
  .strict();

export const HttpSourceConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    address: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** POST routes (Express path syntax); Fluent Bit's default `uri` is `/`. */
    paths: z.array(z.string().startsWith('/')).min(1).default(['/', '/v1/logs']),
    /** When set, every request must carry one of the configured credentials. */
    auth: HttpAuthConfigSchema.optional(),
    /** Header carrying the Fluent Bit tag (`header_tag` in out_http); matched case-insensitively. */
    tag_header: z.string().min(1).default('x-fluent-tag'),
    /** Largest request body as sent (still compressed). */
    max_body_bytes: z.number().int().positive().default(16 * MiB),
    /** Largest body after undoing Content-Encoding; enforced while inflating. */
    max_decompressed_bytes: z.number().int().positive().default(64 * MiB),
    max_records_per_request: z.number().int().positive().default(100_000),
    /** Estimated heap of one request's decoded records, checked while decoding (a few KB of gzip can hold millions of `{}`). */
    max_decoded_bytes: z.number().int().positive().default(256 * MiB),
    /** Containers nested inside one record; deeper records are refused with 400. */
    max_nesting_depth: z.number().int().min(1).max(1000).default(64),
    /** Bytes of request bodies being received on all connections together; beyond it 503 + Retry-After. */
    max_inflight_bytes: z.number().int().positive().default(256 * MiB),
    /** Connections held open at once (keep-alive included); beyond it new connections are closed at once. */
    max_connections: z.number().int().min(1).default(1000),
    /** Longest a request may take to arrive in full (Node's requestTimeout); a slow sender gets 408. */
    request_timeout_seconds: z.number().int().min(1).default(60),
  })
  .strict();

export type HttpAuthConfig = z.infer<typeof HttpAuthConfigSchema>;
export type HttpSourceConfig = z.infer<typeof HttpSourceConfigSchema>;
