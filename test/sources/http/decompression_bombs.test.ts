/**
 * Decompression bombs must be refused while inflating (413), never inflated
 * fully and then measured. The gzip case checks the process's peak resident
 * memory: a 256 MiB bomb against a 1 MiB limit must not raise it by anywhere
 * near 256 MiB. (This file runs in its own worker, so the peak starts low.)
 */
import { once } from 'node:events';
import { createGzip, deflateSync } from 'node:zlib';
import { init as zstdInit, compress as zstdCompress } from '@bokuweb/zstd-wasm';
import { compress as snappyCompress } from 'snappyjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const MiB = 1024 * 1024;

async function gzipOfZeros(totalBytes: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const zeros = Buffer.alloc(MiB);
  for (let written = 0; written < totalBytes; written += zeros.length) {
    if (!gz.write(zeros)) await once(gz, 'drain');
  }
  gz.end();
  await once(gz, 'end');
  return Buffer.concat(out);
}

const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;

describe('decompression bombs', () => {
  let h: Harness;
  beforeAll(async () => {
    await zstdInit();
    h = await startHarness({ max_decompressed_bytes: MiB });
  });
  afterAll(() => h.close());

  it('refuses a 256 MiB gzip bomb without allocating its output', async () => {
    const bomb = await gzipOfZeros(256 * MiB);
    expect(bomb.length).toBeLessThan(MiB);
    const peakBefore = peakRssBytes();
    const reply = await h.post('/', bomb, ['Content-Type', 'application/json', 'Content-Encoding', 'gzip']);
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ code: 413, limit: 'max_decompressed_bytes', limit_value: MiB });
    expect(peakRssBytes() - peakBefore).toBeLessThan(64 * MiB);
    expect(h.intake.records).toHaveLength(0);
  });

  it('refuses a gzip bomb sent without Content-Encoding (sniffed)', async () => {
    const reply = await h.post('/', await gzipOfZeros(8 * MiB), []);
    expect(reply.status).toBe(413);
  });

  it('refuses a zlib (deflate) bomb', async () => {
    const reply = await h.post('/', deflateSync(Buffer.alloc(16 * MiB)), ['Content-Type', 'text/plain', 'Content-Encoding', 'deflate']);
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ limit: 'max_decompressed_bytes' });
  });

  it('refuses a zstd frame that declares more content than the limit, from its header', async () => {
    const reply = await h.post('/', Buffer.from(zstdCompress(Buffer.alloc(16 * MiB), 3)), ['Content-Type', 'text/plain', 'Content-Encoding', 'zstd']);
    expect(reply.status).toBe(413);
    expect(String(reply.json.error)).toContain('declares');
  });

  it('refuses zstd frames that each fit but together pass the limit, from their headers', async () => {
    const frame = Buffer.from(zstdCompress(Buffer.alloc(MiB / 2, 0x61), 3));
    const reply = await h.post('/', Buffer.concat(Array.from({ length: 8 }, () => frame)), ['Content-Type', 'text/plain', 'Content-Encoding', 'zstd']);
    expect(reply.status).toBe(413);
    expect(String(reply.json.error)).toContain('declares');
  });

  it('refuses zstd frames without a declared size that together pass the limit, while decoding', async () => {
    const frame = withoutContentSize(Buffer.from(zstdCompress(Buffer.alloc(MiB / 2, 0x61), 3)));
    const one = await h.post('/', frame, ['Content-Type', 'text/plain', 'Content-Encoding', 'zstd']);
    expect(one.status).toBe(200);
    const reply = await h.post('/', Buffer.concat(Array.from({ length: 8 }, () => frame)), ['Content-Type', 'text/plain', 'Content-Encoding', 'zstd']);
    expect(reply.status).toBe(413);
    expect(String(reply.json.error)).toContain('inflates beyond the limit');
  });

  it('refuses a snappy block whose length preamble is over the limit, before inflating', async () => {
    // varint 2^30 followed by a literal: a 1 GiB claim in 8 bytes.
    const claim = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x08, 0x61, 0x62]);
    const reply = await h.post('/', claim, ['Content-Type', 'text/plain', 'Content-Encoding', 'snappy']);
    expect(reply.status).toBe(413);
    expect(String(reply.json.error)).toContain('1073741824');
    const real = await h.post('/', snappyCompress(Buffer.alloc(2 * MiB, 0x61)), ['Content-Type', 'text/plain', 'Content-Encoding', 'snappy']);
    expect(real.status).toBe(413);
  });
});

/**
 * The same zstd frame without its Frame_Content_Size field (RFC 8878 §3.1.1.1), as a streaming
 * compressor writes it: a single-segment frame gets a window descriptor of `windowLog` instead.
 */
function withoutContentSize(frame: Buffer, windowLog = 20): Buffer {
  const descriptor = frame[4];
  const single = (descriptor >> 5) & 1;
  const fcsSize = single ? [1, 2, 4, 8][descriptor >> 6] : [0, 2, 4, 8][descriptor >> 6];
  const dictSize = [0, 1, 2, 4][descriptor & 3];
  const windowByte = single ? Buffer.from([(windowLog - 10) << 3]) : frame.subarray(5, 6);
  const dictStart = single ? 5 : 6;
  return Buffer.concat([frame.subarray(0, 4), Buffer.from([descriptor & 0x1f]), windowByte, frame.subarray(dictStart, dictStart + dictSize), frame.subarray(dictStart + dictSize + fcsSize)]);
}
