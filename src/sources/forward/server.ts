/**
 * Forward source: a TCP server speaking the Fluentd Forward protocol v1
 * (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1), as sent by
 * Fluent Bit's out_forward, Fluentd's out_forward, Vector's fluent sink and
 * @fluent-org/logger. All four event modes, EventTime and integer times, both
 * entry shapes, acks, and the optional shared_key handshake.
 *
 * Guarantees (per connection, see connection.ts): in-order handling, ack only
 * after the Intake accepted the whole message, back-pressure instead of loss,
 * chunk-id dedup of retries; a misbehaving client only loses its own
 * connection. `close()` stops accepting, lets in-flight messages finish, and
 * ends every connection; unacked messages are left for the clients to resend.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { LRUCache } from 'lru-cache';
import type { Intake } from '../intake.js';
import { DEFAULT_NORMALIZE, type NormalizeConfig } from '../normalize.js';
import type { Logger } from '../../telemetry/log.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { InflightBytes } from '../inflight.js';
import type { ForwardSourceConfig } from './config.js';
import { ForwardConnection, type ConnectionContext } from './connection.js';
import { createTransportDecoders } from './transport.js';

export interface ForwardSourceOptions {
  config: ForwardSourceConfig;
  intake: Intake;
  metrics: Metrics;
  logger: Logger;
  normalize?: NormalizeConfig;
  /** Clock for `observedAt`, epoch ms. */
  now?: () => number;
}

export interface ForwardSource {
  listen(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

export function createForwardSource(opts: ForwardSourceOptions): ForwardSource {
  const { config, logger } = opts;
  const ctx: ConnectionContext = {
    config,
    intake: opts.intake,
    metrics: opts.metrics,
    logger,
    normalize: opts.normalize ?? DEFAULT_NORMALIZE,
    now: opts.now ?? Date.now,
    decoders: createTransportDecoders(),
    limits: {
      maxRecords: config.max_records_per_message,
      maxDecodedBytes: config.max_decoded_bytes,
      maxDepth: config.max_nesting_depth,
      maxDecompressedBytes: config.max_decompressed_bytes,
    },
    inflight: new InflightBytes(config.max_inflight_bytes),
    acceptedChunks:
      config.chunk_dedup_size > 0 ? new LRUCache<string, true>({ max: config.chunk_dedup_size, ttl: config.chunk_dedup_ttl_seconds * 1000 }) : undefined,
    handshake: config.shared_key !== undefined ? { sharedKey: config.shared_key, selfHostname: config.self_hostname, users: config.users } : undefined,
  };
  const connections = new Set<ForwardConnection>();
  // Half-open: a client may send its last message and FIN; we still owe it the ack.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    const connection = new ForwardConnection(socket, ctx);
    logger.debug({ remote: connection.remote }, 'forward connection opened');
    connections.add(connection);
    void connection.closed.then(() => connections.delete(connection));
  });
  server.maxConnections = config.max_connections;
  server.on('drop', (info) => logger.warn({ remote: `${info?.remoteAddress}:${info?.remotePort}`, max_connections: config.max_connections }, 'forward connection refused: max_connections reached'));

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.address, () => {
          server.off('error', reject);
          server.on('error', (err) => logger.error({ err }, 'forward server error'));
          const { address, port } = server.address() as AddressInfo;
          logger.info({ address, port, handshake: ctx.handshake !== undefined }, 'forward source listening');
          resolve({ address, port });
        });
      });
    },
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections) connection.requestClose();
      await Promise.all([...connections].map((c) => c.closed));
      await stopped;
    },
  };
}
