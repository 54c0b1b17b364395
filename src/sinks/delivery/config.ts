/**
 * Delivery options shared by every sink (zod shapes spread into each sink's
 * own strict schema, so each sink's table lists them): queue bound, batch size,
 * retry timing and request timeout.
 */
import { z } from 'zod';

/** Queue bound and batch size; every sink has them. */
export function bufferShape(batchMaxRecords: number) {
  return {
    /** Records waiting in this sink's queue; above it the oldest lowest-severity records are dropped. */
    buffer_max_records: z.number().int().min(1).default(10_000),
    /** Records per request / write. */
    batch_max_records: z.number().int().min(1).max(10_000).default(batchMaxRecords),
  };
}

/** Retry timing for sinks whose writes can fail transiently. */
export const retryShape = {
  /** First retry waits about this long (±50% jitter); doubles per attempt. */
  retry_initial_backoff_ms: z.number().int().min(1).default(500),
  /** Ceiling of the doubling back-off. */
  retry_max_backoff_ms: z.number().int().min(1).default(30_000),
  /** Attempts per batch before its records count as failed; omit to retry until close (like Vector). */
  retry_max_attempts: z.number().int().min(1).optional(),
  /** Longest server-requested Retry-After honoured; larger values are cut to this. */
  retry_after_max_ms: z.number().int().min(0).default(300_000),
};

/** Per-request timeout for network sinks. */
export const requestShape = {
  timeout_ms: z.number().int().min(1).default(10_000),
};

const DeliveryOptionsSchema = z.object({ ...bufferShape(100), ...retryShape });
export type DeliveryOptions = Pick<z.output<typeof DeliveryOptionsSchema>, 'buffer_max_records' | 'batch_max_records'> &
  Partial<Omit<z.output<typeof DeliveryOptionsSchema>, 'buffer_max_records' | 'batch_max_records'>>;
