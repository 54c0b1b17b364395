/** `notifications.pagerduty` options: PagerDuty Events API v2. */
import { z } from 'zod';
import { bufferShape, requestShape, retryShape } from '../delivery/config.js';

export const pagerdutyOptionsShape = {
  /** Integration key of an Events API v2 integration on the service. */
  routing_key: z.string().min(1),
  endpoint: z.url({ protocol: /^https?$/ }).default('https://events.pagerduty.com/v2/enqueue'),
  /** `payload.source`; the anomaly's host.name when unset. */
  source: z.string().min(1).optional(),
  /** Link shown on the incident (`client_url`), e.g. a Grafana dashboard. */
  client_url: z.url().optional(),
  ...requestShape,
  /** One message per anomaly, so only the queue bound is configurable. */
  buffer_max_records: bufferShape(1).buffer_max_records,
  ...retryShape,
};
export const PagerDutyOptionsSchema = z.strictObject(pagerdutyOptionsShape);
export type PagerDutyOptions = z.output<typeof PagerDutyOptionsSchema>;
