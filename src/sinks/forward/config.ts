/** `forward` sink options (Forward protocol to Fluent Bit in_forward or Vector's fluent source). */
import { z } from 'zod';
import { bufferShape, retryShape } from '../delivery/config.js';

export const FORWARD_EVENT_MODES = ['message', 'forward', 'packed_forward', 'compressed_packed_forward'] as const;

export const forwardOptionsShape = {
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(1).max(65535).default(24224),
  /** Forward tag of every record. */
  tag: z.string().min(1).default('lookout.anomaly'),
  /** Forward protocol event mode; all four are accepted by Fluent Bit and Vector. */
  event_mode: z.enum(FORWARD_EVENT_MODES).default('forward'),
  /** Ask for `{"ack": chunk}` per message and count a record delivered only once acked. */
  require_ack: z.boolean().default(true),
  /** How long to wait for an ack; raise it when Vector's end-to-end acknowledgements are on. */
  ack_timeout_ms: z.number().int().min(1).default(10_000),
  connect_timeout_ms: z.number().int().min(1).default(5_000),
  /** Idle time after which the connection is closed; the next batch opens a new one. */
  idle_timeout_ms: z.number().int().min(1).default(60_000),
  tls: z
    .strictObject({
      /** PEM CA bundle to trust instead of the system store. */
      ca_file: z.string().min(1).optional(),
      verify_certificate: z.boolean().default(true),
      /** SNI / certificate name, when it differs from `host`. */
      server_name: z.string().min(1).optional(),
    })
    .optional(),
  ...bufferShape(100),
  ...retryShape,
};
export const ForwardSinkOptionsSchema = z.strictObject(forwardOptionsShape);
export type ForwardSinkOptions = z.output<typeof ForwardSinkOptionsSchema>;
