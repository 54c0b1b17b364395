/** `loki` sink options. */
import { z } from 'zod';
import { HeadersSchema, HttpAuthSchema } from '../delivery/auth.js';
import { bufferShape, requestShape, retryShape } from '../delivery/config.js';

const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'Loki label names match [a-zA-Z_][a-zA-Z0-9_]*');
/** A dotted path into the anomaly record, e.g. `anomaly.severity`. */
const FieldPath = z.string().regex(/^[@a-zA-Z_][\w@]*(\.[\w@]+)*$/, 'a dotted field path such as anomaly.severity');

export const lokiOptionsShape = {
  /** Loki base URL, e.g. `http://loki:3100`. */
  endpoint: z.url({ protocol: /^https?$/ }),
  path: z.string().startsWith('/').default('/loki/api/v1/push'),
  /** Sent as X-Scope-OrgID (multi-tenant Loki). */
  tenant_id: z.string().min(1).optional(),
  /** Stream labels: label name -> record field path. Keep them low-cardinality. */
  labels: z.record(LabelName, FieldPath).default({ service_name: 'service.name', severity: 'anomaly.severity', type: 'anomaly.type' }),
  /** Constant stream labels added to every stream. */
  static_labels: z.record(LabelName, z.string()).default({ source: 'lookout' }),
  /** Structured metadata (Loki 3+): key -> record field path; `{}` sends 2-element values for older Loki. */
  structured_metadata: z
    .record(LabelName, FieldPath)
    .default({ anomaly_id: 'anomaly.id', host_name: 'host.name', detector: 'anomaly.detector', window_stream: 'window.stream' }),
  /** Log line: the whole record as JSON, or only its `message`. */
  line: z.enum(['json', 'message']).default('json'),
  compression: z.enum(['none', 'gzip']).default('none'),
  auth: HttpAuthSchema.optional(),
  headers: HeadersSchema,
  ...requestShape,
  ...bufferShape(500),
  ...retryShape,
};
export const LokiSinkOptionsSchema = z.strictObject(lokiOptionsShape);
export type LokiSinkOptions = z.output<typeof LokiSinkOptionsSchema>;
