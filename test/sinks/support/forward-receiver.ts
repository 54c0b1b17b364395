/**
 * A Forward-protocol receiver for sink tests: a TCP server on 127.0.0.1 that
 * decodes the msgpack stream with @msgpack/msgpack (EventTime = ext type 0,
 * 4-byte big-endian seconds + 4-byte nanoseconds), understands Message,
 * Forward, PackedForward and CompressedPackedForward (gzip), and answers each
 * message carrying `options.chunk` as told: `{"ack": chunk}` like Fluent Bit
 * and Vector, `{}` then close like Vector when its delivery fails, or nothing.
 * Optionally over TLS (Fluent Bit in_forward `tls on`, Vector fluent `tls.enabled`).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { gunzipSync } from 'node:zlib';
import { decodeMulti, decodeMultiStream, encode, ExtensionCodec } from '@msgpack/msgpack';

export interface EventTimeValue {
  sec: number;
  nsec: number;
}

export interface ForwardEntry {
  time: EventTimeValue | number;
  record: Record<string, unknown>;
}

export interface ForwardMessage {
  connection: number;
  mode: 'Message' | 'Forward' | 'PackedForward' | 'CompressedPackedForward';
  tag: string;
  entries: ForwardEntry[];
  options: Record<string, unknown> | undefined;
  answer: Answer;
}

export type Answer = 'ack' | 'nack' | 'silent';

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: 0,
  encode: () => null,
  decode: (data: Uint8Array): EventTimeValue => {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (data.byteLength !== 8) throw new Error(`EventTime must be 8 bytes, got ${data.byteLength}`);
    return { sec: view.getUint32(0), nsec: view.getUint32(4) };
  },
});

function entriesOf(payload: Uint8Array): ForwardEntry[] {
  return [...decodeMulti(payload, { extensionCodec })].map((e) => {
    const [time, record] = e as [EventTimeValue | number, Record<string, unknown>];
    return { time, record };
  });
}

export interface ForwardReceiver {
  port: number;
  messages: ForwardMessage[];
  connections: number;
  /** Entries of every message that was acked, in order. */
  acked(): ForwardEntry[];
  close(): Promise<void>;
}

/** `answer(n)` decides the reply to the n-th message (0-based, across connections); `tls` makes it a TLS server. */
export async function startForwardReceiver(answer: (n: number) => Answer = () => 'ack', port = 0, tls?: TlsOptions): Promise<ForwardReceiver> {
  const messages: ForwardMessage[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const onConnection = (socket: Socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    void (async () => {
      try {
        for await (const msg of decodeMultiStream(socket, { extensionCodec })) {
          if (!Array.isArray(msg)) continue;
          const [tag, second, third, fourth] = msg as [string, unknown, unknown, unknown];
          let m: Omit<ForwardMessage, 'answer' | 'connection'>;
          if (Array.isArray(second)) {
            m = { mode: 'Forward', tag, entries: (second as [EventTimeValue, Record<string, unknown>][]).map(([time, record]) => ({ time, record })), options: third as Record<string, unknown> };
          } else if (second instanceof Uint8Array) {
            const options = third as Record<string, unknown> | undefined;
            const gz = options?.compressed === 'gzip';
            m = { mode: gz ? 'CompressedPackedForward' : 'PackedForward', tag, entries: entriesOf(gz ? gunzipSync(second) : second), options };
          } else {
            m = { mode: 'Message', tag, entries: [{ time: second as EventTimeValue, record: third as Record<string, unknown> }], options: fourth as Record<string, unknown> };
          }
          const reply = answer(messages.length);
          messages.push({ ...m, connection, answer: reply });
          const chunk = m.options?.chunk;
          if (chunk === undefined || reply === 'silent') continue;
          if (reply === 'ack') socket.write(encode({ ack: chunk }));
          else {
            socket.end(encode({}));
            return;
          }
        }
      } catch {
        socket.destroy();
      }
    })();
  };
  const server = tls ? createTlsServer(tls, onConnection) : createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    get connections() {
      return connections;
    },
    acked: () => messages.filter((m) => m.answer === 'ack').flatMap((m) => m.entries),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
