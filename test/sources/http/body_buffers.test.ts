/**
 * Pooled request bodies: a body that declares its length is read into a
 * reused buffer, and a buffer goes back to the pool only when nothing decoded
 * from it can still point into it.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from '@msgpack/msgpack';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyBuffers, readBody, type ReceivedBody } from '../../../src/sources/http/body.js';
import { InflightBytes } from '../../../src/sources/inflight.js';
import { startHarness, type Harness } from './harness.js';

/** A server that reads each body with `readBody` and hands it to `onBody`; the client sends `payload`, chunked when asked. */
async function receive(payloads: Buffer[], buffers: BodyBuffers, chunked = false): Promise<ReceivedBody[]> {
  const inflight = new InflightBytes(64 * 1024 * 1024);
  const received: ReceivedBody[] = [];
  const server = http.createServer((req, res) => {
    readBody(req, 16 * 1024 * 1024, inflight, buffers).then(
      (body) => {
        received.push({ bytes: Buffer.from(body.bytes), pooled: body.pooled });
        if (body.pooled) buffers.give(body.pooled);
        res.end('ok');
      },
      (err: Error) => {
        res.statusCode = 500;
        res.end(err.message);
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  try {
    for (const payload of payloads) {
      await new Promise<void>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', headers: chunked ? {} : { 'content-length': payload.length } }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        for (let i = 0; i < payload.length; i += 16 * 1024) req.write(payload.subarray(i, i + 16 * 1024));
        req.end();
      });
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  return received;
}

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('pooled request bodies', () => {
  it('reads a declared body into one reused buffer, byte for byte', async () => {
    const buffers = new BodyBuffers(256 * 1024, 2);
    const payloads = [bytes(100_000, 1), bytes(40_000, 2), bytes(256 * 1024, 3)];
    const received = await receive(payloads, buffers);
    expect(received.map((r) => r.bytes)).toEqual(payloads);
    expect(received[0].pooled).toBeDefined();
    expect(received[1].pooled).toBe(received[0].pooled);
    expect(received[2].pooled).toBe(received[0].pooled);
  });

  it('joins chunks as before for a body too large for the pool or of undeclared length', async () => {
    const buffers = new BodyBuffers(64 * 1024, 2);
    const large = await receive([bytes(100_000, 4)], buffers);
    expect(large[0].pooled).toBeUndefined();
    expect(large[0].bytes).toEqual(bytes(100_000, 4));
    const chunked = await receive([bytes(50_000, 5)], buffers, true);
    expect(chunked[0].pooled).toBeUndefined();
    expect(chunked[0].bytes).toEqual(bytes(50_000, 5));
  });

  it('makes at most its number of buffers, however many bodies are read at once', () => {
    const buffers = new BodyBuffers(1024, 2);
    const [a, b] = [buffers.take(), buffers.take()];
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(buffers.take()).toBeUndefined();
    buffers.give(a!);
    expect(buffers.take()).toBe(a);
    expect(buffers.take()).toBeUndefined();
    buffers.give(b!);
    expect(buffers.take()).toBe(b);
    expect(buffers.take()).toBeUndefined();
  });

  it('joins the chunks of a body that finds every pooled buffer in use', async () => {
    const buffers = new BodyBuffers(256 * 1024, 1);
    const held = buffers.take();
    const received = await receive([bytes(30_000, 7)], buffers);
    expect(received[0].pooled).toBeUndefined();
    expect(received[0].bytes).toEqual(bytes(30_000, 7));
    buffers.give(held!);
  });
});

describe('the HTTP source and pooled bodies', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("keeps a msgpack body's bin values intact when later bodies reuse its buffer", async () => {
    harness = await startHarness();
    const blob = bytes(2_000, 6);
    const packed = Buffer.from(encode({ message: 'upload stored', blob }));
    expect((await harness.post('/', packed, ['Content-Type', 'application/msgpack'])).status).toBe(200);
    for (let i = 0; i < 6; i++) {
      const json = JSON.stringify(Array.from({ length: 40 }, (_, k) => ({ message: `request ${i}.${k} done`, pad: 'z'.repeat(30) })));
      expect((await harness.post('/', json, ['Content-Type', 'application/json'])).status).toBe(200);
    }
    const first = harness.intake.records[0];
    expect(first.message).toBe('upload stored');
    expect(Buffer.from(first.fields.blob as Uint8Array)).toEqual(blob);
    expect(harness.intake.records).toHaveLength(1 + 6 * 40);
    expect(harness.intake.records.at(-1)?.message).toBe('request 5.39 done');
  });
});
