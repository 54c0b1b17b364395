/** `notifications.slack` options: a Slack incoming webhook. */
import { z } from 'zod';
import { bufferShape, requestShape, retryShape } from '../delivery/config.js';

export const slackOptionsShape = {
  /** Incoming webhook URL (https://api.slack.com/messaging/webhooks). */
  webhook_url: z.url({ protocol: /^https?$/ }),
  /** Evidence lines quoted in the message. */
  max_evidence: z.number().int().min(0).max(20).default(3),
  /** Text put before critical alerts, e.g. `<!here>` or `<!subteam^ID>`; none by default. */
  critical_mention: z.string().min(1).optional(),
  ...requestShape,
  /** One message per anomaly, so only the queue bound is configurable. */
  buffer_max_records: bufferShape(1).buffer_max_records,
  ...retryShape,
};
export const SlackOptionsSchema = z.strictObject(slackOptionsShape);
export type SlackOptions = z.output<typeof SlackOptionsSchema>;
