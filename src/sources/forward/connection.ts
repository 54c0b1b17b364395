/**
 * One client connection of the Forward source: handshake (when a shared_key
 * is set), stream decoding, admission into the Intake, and acks.
 *
 * Spec: https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1
 * Guarantees:
 * - Messages are handled strictly in arrival order, one at a time; the socket
 *   is paused while a message is being handled, so a slow Intake slows the
 *   client down (TCP back-pressure) instead of growing memory.
 * - `{ack: chunk}` is written only after `Intake.admit` accepted every record
 *   of the message. A refusal for a full buffer waits for `whenWritable` and
 *   retries: nothing is dropped. A refusal for shutdown closes the connection
 *   unacked, so the client resends elsewhere or later (at-least-once).
 * - A chunk id accepted recently is acked again without being re-admitted, so
 *   a retry after a lost ack does not duplicate records.
 * - Bytes that are not a Forward message close this connection only, with a
 *   warning naming the peer and the byte offset.
 * - A complete message over a per-message limit (records, decoded size,
 *   nesting depth, decompressed size) is acknowledged and dropped with a
 *   warning and a metric (MessageRefusedError explains why not closed).
 * - Memory and time are bounded per connection and across them: an
 *   incomplete message holds at most max_message_bytes and, with every other
 *   connection's, max_inflight_bytes; the first message must be complete
 *   within handshake_timeout_seconds, any message within
 *   message_timeout_seconds of its first byte, and a silent connection is
 *   closed after idle_timeout_seconds.
 */
import type { Socket } from 'node:net';
import { encode } from '@msgpack/msgpack';
import type { LRUCache } from 'lru-cache';
import type { Intake } from '../intake.js';
import { normalize, type NormalizeConfig, type NormalizeContext } from '../normalize.js';
import type { LogRecord } from '../record.js';
import type { Logger } from '../../telemetry/log.js';
import type { Metrics } from '../../telemetry/metrics.js';
import type { InflightBytes } from '../inflight.js';
import type { ForwardSourceConfig } from './config.js';
import { ForwardSourceError, HandshakeError, InflightFullError, MessageRefusedError, TimeoutError } from './errors.js';
import { helo, isPing, openSession, verifyPing, type HandshakeSession, type HandshakeSettings } from './handshake.js';
import { MsgpackFramer, type Frame } from './msgpack_framer.js';
import type { EventMessage } from './protocol.js';
import { chunkIdOf, decodeFrame, readClientMessage, type MessageLimits, type TransportDecoders } from './transport.js';

/** Shared by every connection of one server. */
export interface ConnectionContext {
  config: ForwardSourceConfig;
  intake: Intake;
  metrics: Metrics;
  logger: Logger;
  normalize: NormalizeConfig;
  now: () => number;
  decoders: TransportDecoders;
  limits: MessageLimits;
  /** Bytes held by incomplete messages on all connections of the server. */
  inflight: InflightBytes;
  /** Chunk ids already admitted and acked; absent when chunk_dedup_size is 0. */
  acceptedChunks?: LRUCache<string, true>;
  handshake?: HandshakeSettings;
}

/** After a close request, a peer that does not let us finish our side in this time is cut off. */
const CLOSE_GRACE_MS = 5000;
/** Malformed entries quoted in one warning; the rest are only counted. */
const MAX_QUOTED_ENTRIES = 5;

export class ForwardConnection {
  readonly remote: string;
  /** Who this connection is to the intake's fair sharing of buffer room. */
  private readonly sender: string;
  /** Resolves once the socket is fully closed. */
  readonly closed: Promise<void>;
  private readonly framer: MsgpackFramer;
  private queue: Frame[] = [];
  private head = 0;
  private processing = false;
  private stopping = false;
  private peerEnded = false;
  private isClosed = false;
  private session?: HandshakeSession;
  /** Set once the byte stream turned out not to be msgpack; ends the connection after the messages before it. */
  private streamError?: ForwardSourceError;
  /** Resolves when waiting on the Intake must be abandoned (close requested or socket gone). */
  private readonly stopSignal: Promise<void>;
  private signalStop!: () => void;
  /** Bytes of ctx.inflight this connection holds for its incomplete message. */
  private held = 0;
  /** Runs out handshake_timeout_seconds after connecting, then message_timeout_seconds after an incomplete message began. */
  private deadline?: NodeJS.Timeout;
  private seenFrame = false;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: ConnectionContext,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.sender = `forward:${this.remote}`;
    this.framer = new MsgpackFramer(ctx.config.max_message_bytes);
    this.stopSignal = new Promise((resolve) => (this.signalStop = resolve));
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        clearTimeout(this.deadline);
        this.ctx.inflight.release(this.held);
        this.held = 0;
        this.signalStop();
        resolve();
      }),
    );
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onPeerEnd());
    socket.on('error', (err) => ctx.logger.debug({ remote: this.remote, err: err.message }, 'forward connection error'));
    if (ctx.config.idle_timeout_seconds > 0) {
      socket.setTimeout(ctx.config.idle_timeout_seconds * 1000, () => {
        if (this.processing) return;
        ctx.logger.debug({ remote: this.remote }, 'closing idle forward connection');
        this.finish();
      });
    }
    this.armDeadline(ctx.config.handshake_timeout_seconds, 'no complete message');
    if (ctx.handshake) {
      this.session = openSession(ctx.handshake);
      this.send(helo(this.session));
    }
  }

  private armDeadline(seconds: number, what: string): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      // Time spent handling messages (waiting for buffer room, socket paused) is not the client's.
      if (this.processing) return this.armDeadline(seconds, what);
      this.fail(new TimeoutError(`${what} within ${seconds} s`, this.framer.offset));
    }, seconds * 1000);
    this.deadline.unref();
  }

  /** Keeps ctx.inflight in step with what the framer holds, and the message deadline with whether a message is incomplete. */
  private track(framesCompleted: boolean): ForwardSourceError | undefined {
    const held = this.framer.heldBytes;
    if (held > this.held && !this.ctx.inflight.tryAcquire(held - this.held)) {
      return new InflightFullError(this.ctx.inflight.limit, this.framer.offset);
    }
    if (held < this.held) this.ctx.inflight.release(this.held - held);
    this.held = held;
    if (framesCompleted) this.seenFrame = true;
    if (!this.seenFrame) return undefined;
    if (this.framer.pendingBytes === 0) {
      clearTimeout(this.deadline);
      this.deadline = undefined;
    } else if (framesCompleted || this.deadline === undefined) {
      this.armDeadline(this.ctx.config.message_timeout_seconds, 'message not complete');
    }
    return undefined;
  }

  /** Stops reading; the message being handled (if any) completes, then the connection ends. */
  requestClose(): void {
    this.stopping = true;
    this.signalStop();
    if (this.isClosed) return;
    if (!this.processing) this.finish();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private onData(chunk: Buffer): void {
    if (this.stopping || this.streamError) return;
    const { frames, error } = this.framer.push(chunk);
    for (const frame of frames) this.queue.push(frame);
    // Messages before the bad bytes are still handled (and acked); the error closes the connection after them.
    this.streamError = error ?? this.track(frames.length > 0);
    if (this.processing) return;
    if (this.head < this.queue.length) void this.pump();
    else if (this.streamError) this.fail(this.streamError);
  }

  private onPeerEnd(): void {
    this.peerEnded = true;
    if (this.framer.pendingBytes > 0 && !this.streamError) {
      this.ctx.logger.warn({ remote: this.remote, bytes: this.framer.pendingBytes }, 'forward client closed mid-message; partial message discarded');
    }
    if (!this.processing) this.finish();
  }

  private async pump(): Promise<void> {
    this.processing = true;
    this.socket.pause();
    try {
      while (this.head < this.queue.length && !this.stopping && !this.isClosed) {
        await this.handle(this.queue[this.head++]);
      }
      if (this.streamError && !this.stopping) throw this.streamError;
    } catch (err) {
      this.fail(err);
    } finally {
      this.queue = [];
      this.head = 0;
      this.processing = false;
    }
    if (this.stopping || this.peerEnded) this.finish();
    else if (!this.isClosed) this.socket.resume();
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.session) return this.answerPing(frame, this.session);
    let message;
    try {
      message = await readClientMessage(frame, this.ctx.decoders, this.ctx.limits);
    } catch (err) {
      if (err instanceof MessageRefusedError) return this.refuseMessage(frame, err);
      throw err;
    }
    if (message.kind === 'event') await this.accept(message.message, frame.offset);
  }

  /** Acknowledges and drops a message that can never be accepted, so the client does not resend it for ever. */
  private refuseMessage(frame: Frame, err: MessageRefusedError): void {
    const { metrics, logger } = this.ctx;
    const chunk = chunkIdOf(frame, this.ctx.decoders.decoder);
    metrics.recordsRejected.inc({ reason: err.reason });
    metrics.requestsTotal.inc({ source: 'forward', status: 'refused' });
    logger.warn({ remote: this.remote, offset: err.byteOffset, reason: err.reason, chunk, err: err.detail }, 'forward message refused: acknowledged and dropped');
    if (chunk !== undefined) this.send({ ack: chunk });
  }

  private answerPing(frame: Frame, session: HandshakeSession): void {
    const ping = decodeFrame(frame, this.ctx.decoders.rawStringDecoder);
    if (!isPing(ping)) throw new HandshakeError('expected PING after HELO', frame.offset);
    const verdict = verifyPing(ping, session, this.ctx.handshake!);
    this.send(verdict.pong);
    if (!verdict.ok) throw new HandshakeError(verdict.reason, frame.offset);
    this.session = undefined;
    this.ctx.logger.debug({ remote: this.remote, client: verdict.clientHostname }, 'forward handshake succeeded');
  }

  private async accept(message: EventMessage, offset: number): Promise<void> {
    const { metrics, logger } = this.ctx;
    const { mode, tag, option, batch } = message;
    if (batch.malformed.length > 0) {
      metrics.recordsRejected.inc({ reason: 'malformed_entry' }, batch.malformed.length);
      logger.warn({ remote: this.remote, offset, tag, count: batch.malformed.length, entries: batch.malformed.slice(0, MAX_QUOTED_ENTRIES) }, 'skipped malformed Forward entries');
    }
    const chunk = option.chunk;
    if (chunk !== undefined && this.ctx.acceptedChunks?.has(chunk)) {
      metrics.requestsTotal.inc({ source: 'forward', status: 'duplicate' });
      logger.debug({ remote: this.remote, chunk }, 'chunk already accepted; acking again without re-admitting');
      this.send({ ack: chunk });
      return;
    }
    const records = this.toRecords(message);
    if (records.length > 0 && !(await this.admit(records, chunk))) return;
    metrics.recordsReceived.inc({ source: 'forward', format: mode }, records.length);
    metrics.requestsTotal.inc({ source: 'forward', status: 'ok' });
    if (chunk !== undefined) {
      this.ctx.acceptedChunks?.set(chunk, true);
      this.send({ ack: chunk });
    }
  }

  private toRecords({ tag, batch, entryBytes }: EventMessage): LogRecord[] {
    const observedAt = this.ctx.now();
    const rawSize = batch.events.length > 0 ? Math.ceil(entryBytes / batch.events.length) : 0;
    // One context for the whole batch (normalize copies what it keeps): no allocation per record.
    const dropFields = this.ctx.intake.readsFields === false;
    const ctx: NormalizeContext = { source: 'forward', tag, transportTime: 0, observedAt, rawSize, dropFields };
    return batch.events.map((event) => {
      ctx.transportTime = event.timeMs;
      const record = normalize(event.record, ctx, this.ctx.normalize);
      if (!dropFields && hasKeys(event.metadata)) record.fields.__metadata = event.metadata;
      return record;
    });
  }

  /** Admits all records or none; false when the connection must end without an ack. */
  private async admit(records: LogRecord[], chunk: string | undefined): Promise<boolean> {
    const { intake, metrics, logger } = this.ctx;
    for (let refusals = 1; ; refusals++) {
      const verdict = intake.admit(records, this.sender);
      if (verdict.ok) return true;
      if (verdict.reason === 'too_large') {
        // It could never fit, so waiting never ends: like any message over a limit (refuseMessage), ack and drop it, loudly.
        metrics.recordsRejected.inc({ reason: 'too_large' }, records.length);
        metrics.requestsTotal.inc({ source: 'forward', status: 'refused' });
        logger.error(
          { remote: this.remote, chunk, records: records.length, limit: verdict.limit, limit_value: verdict.limitValue, actual: verdict.actual },
          `forward message can never fit the window buffer (${verdict.limit}): acknowledged and dropped; have the sender flush smaller chunks or raise the limit`,
        );
        if (chunk !== undefined) this.send({ ack: chunk });
        return false;
      }
      if (verdict.reason === 'shutting_down') {
        metrics.recordsRejected.inc({ reason: 'shutting_down' }, records.length);
        metrics.requestsTotal.inc({ source: 'forward', status: 'error' });
        logger.info({ remote: this.remote }, 'intake shutting down: closing forward connection without ack');
        this.stopping = true;
        return false;
      }
      if (refusals === 1) logger.debug({ remote: this.remote, records: records.length }, 'intake full: holding forward connection');
      // Retry when the batch fits, and at least every Retry-After in case the bounds change under us.
      const ready = Promise.race([intake.whenWritable(records, this.sender), delay(verdict.retryAfterSeconds * 1000)]).then(() => true);
      if (!(await Promise.race([ready, this.stopSignal.then(() => false)]))) {
        metrics.requestsTotal.inc({ source: 'forward', status: 'error' });
        return false;
      }
    }
  }

  private send(value: unknown): void {
    if (this.socket.writable) this.socket.write(encode(value));
  }

  private fail(err: unknown): void {
    const { logger, metrics } = this.ctx;
    if (err instanceof ForwardSourceError) {
      logger.warn({ remote: this.remote, offset: err.byteOffset, reason: err.reason, err: err.message }, 'closing forward connection');
      metrics.recordsRejected.inc({ reason: err.reason });
    } else {
      logger.error({ remote: this.remote, err }, 'forward connection failed unexpectedly; closing it');
    }
    metrics.requestsTotal.inc({ source: 'forward', status: 'error' });
    this.stopping = true;
    this.finish();
  }

  /** Ends our side once pending writes (acks, PONG) are flushed, then releases the socket. */
  private finish(): void {
    if (this.isClosed) return;
    this.socket.end(() => this.socket.destroy());
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Cheaper than Object.keys(…).length on the per-record path: allocates nothing. */
function hasKeys(map: Record<string, unknown>): boolean {
  for (const _ in map) return true;
  return false;
}
