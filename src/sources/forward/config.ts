/**
 * Forward source options (zod, snake_case like Vector's `fluent` source and
 * Fluent Bit's `in_forward`). Defaults suit a Fluent Bit `out_forward` or a
 * Fluentd / @fluent-org/logger client on a trusted network.
 */
import { z } from 'zod';

const MIB = 1024 * 1024;

export const ForwardUserSchema = z
  .object({
    username: z.string().min(1),
    password: z.string(),
  })
  .strict();

export const ForwardSourceConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    address: z.string().min(1).default('0.0.0.0'),
    /** 24224 is the Forward protocol's conventional port; 0 picks a free one. */
    port: z.number().int().min(0).max(65_535).default(24224),
    /** Turns on the HELO/PING/PONG handshake; clients must present the same key. */
    shared_key: z.string().min(1).optional(),
    /** Our name in PONG; a client using the same name is refused, as Fluentd does, to catch loops. */
    self_hostname: z.string().min(1).default('lookout'),
    /** With shared_key: also require a username whose password digest matches (Forward v1 user auth). */
    users: z.array(ForwardUserSchema).min(1).optional(),
    /** Bytes one msgpack message may take while still incomplete; a larger one closes the connection. */
    max_message_bytes: z.number().int().min(1024).default(64 * MIB),
    /** Bound on a CompressedPackedForward payload once decompressed (gzip or zstd). */
    max_decompressed_bytes: z.number().int().min(1024).default(64 * MIB),
    /** Records one message may carry; a larger message is acknowledged and dropped (see MessageRefusedError). */
    max_records_per_message: z.number().int().positive().default(100_000),
    /** Estimated heap of one message's decoded records, checked before decoding; beyond it the message is acknowledged and dropped. */
    max_decoded_bytes: z.number().int().positive().default(256 * MIB),
    /** Containers nested inside one record; a message with a deeper record is acknowledged and dropped. */
    max_nesting_depth: z.number().int().min(1).max(1000).default(64),
    /** Bytes held by incomplete messages on all connections together; the connection that would pass it is closed. */
    max_inflight_bytes: z.number().int().min(1024).default(256 * MIB),
    /** How many accepted chunk ids are remembered, so a client's retry of an acked-too-late chunk is not ingested twice. */
    chunk_dedup_size: z.number().int().min(0).default(10_000),
    chunk_dedup_ttl_seconds: z.number().int().min(1).default(600),
    /** A connection that sends nothing for this long is closed; 0 keeps idle connections open forever. */
    idle_timeout_seconds: z.number().int().min(0).default(60),
    /** A new connection must complete its first message (or handshake PING) within this time. */
    handshake_timeout_seconds: z.number().int().min(1).default(10),
    /** A message must arrive in full within this time of its first byte (time spent waiting for buffer room excluded). */
    message_timeout_seconds: z.number().int().min(1).default(60),
    /** Connections held at once; beyond it new ones are closed at once with a warning. */
    max_connections: z.number().int().min(1).default(1000),
  })
  .strict()
  .refine((c) => c.users === undefined || c.shared_key !== undefined, {
    message: 'users requires shared_key (user auth is part of the Forward handshake)',
    path: ['users'],
  });

export type ForwardSourceConfig = z.infer<typeof ForwardSourceConfigSchema>;
export type ForwardUser = z.infer<typeof ForwardUserSchema>;
