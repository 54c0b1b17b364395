/** `http` sink options (also the `notifications.webhook` channel). */
import { z } from 'zod';
import { HeadersSchema, HttpAuthSchema } from '../delivery/auth.js';
import { bufferShape, requestShape, retryShape } from '../delivery/config.js';

export const HTTP_FORMATS = ['json', 'ndjson'] as const;

export const httpOptionsShape = {
  /** Full URL, e.g. Vector http_server `http://vector:8080/`, Fluent Bit in_http `http://fluent-bit:9880/lookout.anomaly`. */
  uri: z.url({ protocol: /^https?$/ }),
  method: z.enum(['POST', 'PUT']).default('POST'),
  /** `json`: one JSON array per request (Fluent Bit in_http, webhooks); `ndjson`: one object per line (Vector http_server). */
  format: z.enum(HTTP_FORMATS).default('json'),
  compression: z.enum(['none', 'gzip']).default('none'),
  auth: HttpAuthSchema.optional(),
  headers: HeadersSchema,
  ...requestShape,
  ...bufferShape(100),
  ...retryShape,
};
export const HttpSinkOptionsSchema = z.strictObject(httpOptionsShape);
export type HttpSinkOptions = z.output<typeof HttpSinkOptionsSchema>;
