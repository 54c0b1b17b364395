/**
 * ForwardConnection: one @fluent-org/logger FluentClient and its socket,
 * usable until the socket reports an error or closes.
 *
 * Why a connection is thrown away instead of reconnected: the client treats
 * any server message that is not an ack as fatal (Vector's fluent source
 * answers `{}` when its own delivery fails, then closes) and its socket can
 * never reconnect after that. So every error or close marks the connection
 * broken; the sink opens a fresh one for the next attempt and re-sends the
 * records that were not acked. Reconnect pacing is the delivery queue's
 * back-off, so the client's own reconnect is disabled.
 */
import { readFileSync } from 'node:fs';
import { FluentClient, FluentSocketEvent, type FluentClientOptions } from '@fluent-org/logger';
import type { AnomalyRecord } from '../record.js';
import type { ForwardSinkOptions } from './config.js';
import { clientEventMode, forwardEventTime } from './encoder.js';

export class ForwardConnectionClosedError extends Error {
  constructor(readonly address: string) {
    super(`forward connection to ${address} closed`);
    this.name = 'ForwardConnectionClosedError';
  }
}

export class ForwardConnection {
  private readonly client: FluentClient;
  private brokenWith: Error | undefined;
  private resolveBroken!: (err: Error) => void;
  /** Settles with the first socket error or close. */
  readonly broken = new Promise<Error>((resolve) => (this.resolveBroken = resolve));
  readonly address: string;

  constructor(options: ForwardSinkOptions) {
    this.address = `${options.host}:${options.port}`;
    this.client = new FluentClient(options.tag, clientOptions(options));
    this.client.socketOn(FluentSocketEvent.ERROR, (err: Error) => this.markBroken(err));
    this.client.socketOn(FluentSocketEvent.CLOSE, () => this.markBroken(new ForwardConnectionClosedError(this.address)));
  }

  get usable(): boolean {
    return this.brokenWith === undefined;
  }

  connect(): Promise<void> {
    return this.client.connect();
  }

  /** One promise per record, settled when the record is acked (or written, without acks). */
  emit(batch: AnomalyRecord[]): Promise<void>[] {
    return batch.map((r) => this.client.emit(r as unknown as Record<string, unknown>, forwardEventTime(r)));
  }

  /** Releases the socket and rejects anything still pending; never throws. */
  dispose(): Promise<void> {
    this.markBroken(new ForwardConnectionClosedError(this.address));
    return this.client.shutdown().catch(() => undefined);
  }

  private markBroken(err: Error): void {
    if (this.brokenWith) return;
    this.brokenWith = err;
    this.resolveBroken(err);
  }
}

function clientOptions(options: ForwardSinkOptions): FluentClientOptions {
  const tls = options.tls
    ? {
        ca: options.tls.ca_file ? readFileSync(options.tls.ca_file) : undefined,
        rejectUnauthorized: options.tls.verify_certificate,
        servername: options.tls.server_name ?? options.host,
      }
    : undefined;
  return {
    eventMode: clientEventMode(options.event_mode),
    milliseconds: true,
    ack: options.require_ack ? { ackTimeout: options.ack_timeout_ms } : undefined,
    socket: { host: options.host, port: options.port, timeout: options.idle_timeout_ms, tls, disableReconnect: true },
    // The delivery queue already bounds memory; this only stops a stuck socket from hoarding a second copy.
    sendQueueMaxLimit: { length: options.batch_max_records * 2 },
    disableAutoconnect: true,
  };
}
