/**
 * Test harness for the Forward source: a real server on 127.0.0.1 port 0, raw
 * TCP clients that write captured bytes in chosen pieces, and a reader that
 * decodes whatever the server answers (acks, HELO, PONG) as msgpack.
 */
import { Random } from '../../../examples/demo/random.js';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { decode } from '@msgpack/msgpack';
import { pino } from 'pino';
import { ForwardSourceConfigSchema, type ForwardSourceConfig } from '../../../src/sources/forward/config.js';
import { MsgpackFramer } from '../../../src/sources/forward/msgpack_framer.js';
import { createForwardSource, type ForwardSource } from '../../../src/sources/forward/server.js';
import { createMetrics, type Metrics } from '../../../src/telemetry/metrics.js';
import { CollectingIntake } from '../../support/collecting_intake.js';

export interface Harness {
  source: ForwardSource;
  port: number;
  intake: CollectingIntake;
  metrics: Metrics;
  /** Parsed JSON log lines the source wrote (level warn and above). */
  logs: Array<Record<string, unknown>>;
}

export async function startSource(config: Partial<ForwardSourceConfig> = {}, intake = new CollectingIntake()): Promise<Harness> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const metrics = createMetrics();
  const source = createForwardSource({
    config: ForwardSourceConfigSchema.parse({ address: '127.0.0.1', port: 0, ...config }),
    intake,
    metrics,
    logger: pino({ level: 'warn' }, sink),
  });
  const { port } = await source.listen();
  return { source, port, intake, metrics, logs };
}

/** A raw client connection that collects every msgpack object the server sends. */
export class RawClient {
  readonly replies: unknown[] = [];
  readonly closed: Promise<void>;
  private readonly framer = new MsgpackFramer(1 << 20);
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = this.framer.push(chunk);
      if (error) throw error;
      for (const frame of frames) this.replies.push(decode(frame.bytes));
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.waiters.splice(0).forEach((wake) => wake()));
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes the bytes in pieces of the given sizes (cycled), awaiting each write. */
  async write(bytes: Uint8Array, pieces: (i: number) => number = () => bytes.length): Promise<void> {
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const end = Math.min(bytes.length, at + Math.max(1, pieces(i)));
      await new Promise<void>((resolve, reject) => this.socket.write(bytes.subarray(at, end), (err) => (err ? reject(err) : resolve())));
      at = end;
    }
  }

  /** Waits (bounded) until `count` replies arrived; resolves with all replies so far. */
  async waitForReplies(count: number, timeoutMs = 5000): Promise<unknown[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < count) {
      if (this.socket.destroyed && this.replies.length < count) throw new Error(`connection closed after ${this.replies.length} replies, wanted ${count}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} replies (got ${this.replies.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.replies;
  }

  /** Waits (bounded) for the server to close the connection. */
  async waitForClose(timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('connection was not closed')), timeoutMs)));
    try {
      await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  end(): void {
    this.socket.destroy();
  }
}

/** Polls a condition every few ms, bounded in time. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Deterministic piece sizes for "random" splits (the demo's seeded generator), so a failure reproduces. */
export function seededSizes(seed: number, max: number): (i: number) => number {
  const random = new Random(seed);
  return () => random.int(1, max);
}

export async function counterValue(metrics: Metrics, name: keyof Metrics, labels: Record<string, string>): Promise<number> {
  const metric = metrics[name] as unknown as { get(): Promise<{ values: Array<{ labels: Record<string, unknown>; value: number }> }> };
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  return hit?.value ?? 0;
}
