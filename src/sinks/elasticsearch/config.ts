/** `elasticsearch` sink options. */
import { z } from 'zod';
import { ElasticsearchAuthSchema, HeadersSchema } from '../delivery/auth.js';
import { bufferShape, requestShape, retryShape } from '../delivery/config.js';

export const elasticsearchOptionsShape = {
  /** Cluster URL, e.g. `https://es:9200`. */
  endpoint: z.url({ protocol: /^https?$/ }),
  /** Data stream or index; data streams accept only `create`, which is what this sink sends. */
  index: z.string().min(1).default('logs-lookout.anomaly-default'),
  /** Ingest pipeline to run (`?pipeline=`). */
  pipeline: z.string().min(1).optional(),
  auth: ElasticsearchAuthSchema.optional(),
  headers: HeadersSchema,
  compression: z.enum(['none', 'gzip']).default('none'),
  ...requestShape,
  ...bufferShape(500),
  ...retryShape,
};
export const ElasticsearchSinkOptionsSchema = z.strictObject(elasticsearchOptionsShape);
export type ElasticsearchSinkOptions = z.output<typeof ElasticsearchSinkOptionsSchema>;
