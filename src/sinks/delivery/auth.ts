/**
 * HTTP authentication options shared by the HTTP-speaking sinks, and the
 * Authorization header each produces: Bearer (RFC 6750), Basic (RFC 7617),
 * and Elasticsearch's `ApiKey <base64 id:key>`.
 */
import { z } from 'zod';

export const BearerAuthSchema = z.strictObject({ strategy: z.literal('bearer'), token: z.string().min(1) });
export const BasicAuthSchema = z.strictObject({ strategy: z.literal('basic'), user: z.string().min(1), password: z.string().default('') });
/** `api_key` is the base64 "encoded" value Elasticsearch returns, or `id:key` which is encoded here. */
export const ApiKeyAuthSchema = z.strictObject({ strategy: z.literal('api_key'), api_key: z.string().min(1) });

export const HttpAuthSchema = z.discriminatedUnion('strategy', [BearerAuthSchema, BasicAuthSchema]);
export type HttpAuth = z.output<typeof HttpAuthSchema>;
export const ElasticsearchAuthSchema = z.discriminatedUnion('strategy', [BasicAuthSchema, ApiKeyAuthSchema, BearerAuthSchema]);
export type ElasticsearchAuth = z.output<typeof ElasticsearchAuthSchema>;

/** Extra request headers; names are matched case-insensitively by servers. */
export const HeadersSchema = z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'invalid header name'), z.string()).default({});

export function authHeaders(auth: HttpAuth | ElasticsearchAuth | undefined): Record<string, string> {
  if (!auth) return {};
  switch (auth.strategy) {
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` };
    case 'api_key': {
      const encoded = auth.api_key.includes(':') ? Buffer.from(auth.api_key).toString('base64') : auth.api_key;
      return { authorization: `ApiKey ${encoded}` };
    }
  }
}
