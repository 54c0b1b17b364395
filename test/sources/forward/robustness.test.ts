/**
 * Failure paths: garbage and oversized input close only the offending
 * connection (with a warning naming peer and byte offset), a full Intake
 * holds the ack until it drains, a shutting-down Intake gets no ack, and
 * close() ends connections.
 */
import { gzipSync } from 'node:zlib';
import { Encoder } from '@msgpack/msgpack';
import { afterEach, describe, expect, it } from 'vitest';
import { EventTime, fluentExtensionCodec } from '../../../src/sources/fluent_entry.js';
import type { Admission } from '../../../src/sources/intake.js';
import type { LogRecord } from '../../../src/sources/record.js';
import { CollectingIntake } from '../../support/collecting_intake.js';
import { counterValue, RawClient, startSource, waitUntil, type Harness } from './harness.js';

const encoder = new Encoder({ extensionCodec: fluentExtensionCodec });
const pack = (v: unknown): Uint8Array => encoder.encode(v);
const T = new EventTime(1_795_500_000, 0);
const forward = (tag: string, messages: string[], chunk?: string): Uint8Array =>
  pack([tag, messages.map((message) => [T, { message }]), chunk === undefined ? { size: messages.length } : { chunk, size: messages.length }]);

/** Counts refusals, so a test can tell the source has hit the full buffer before it drains. */
class RefusalCountingIntake extends CollectingIntake {
  refusals = 0;
  override admit(records: LogRecord[]): Admission {
    const verdict = super.admit(records);
    if (!verdict.ok) this.refusals++;
    return verdict;
  }
}

describe('Forward source failure paths', () => {
  let h: Harness | undefined;
  const opened: RawClient[] = [];
  afterEach(async () => {
    opened.splice(0).forEach((c) => c.end());
    await h?.source.close();
    h = undefined;
  });
  const open = async (): Promise<RawClient> => {
    const c = await RawClient.open(h!.port);
    opened.push(c);
    return c;
  };

  it('closes a connection that sends garbage, logging peer and byte offset, while another connection keeps working', async () => {
    h = await startSource();
    const good = await open();
    const bad = await open();
    const first = forward('app.ok', ['before garbage'], 'c0');
    await bad.write(Buffer.concat([first, Buffer.from([0xc1, 0x00, 0x01])]));
    await bad.waitForClose();
    expect(bad.replies).toEqual([{ ack: 'c0' }]);

    await good.write(forward('app.ok', ['still served'], 'c1'));
    expect(await good.waitForReplies(1)).toEqual([{ ack: 'c1' }]);
    expect(h.intake.records.map((r) => r.message)).toEqual(['before garbage', 'still served']);

    const warning = h.logs.find((l) => l.msg === 'closing forward connection');
    expect(warning).toMatchObject({ reason: 'malformed_message', offset: first.length });
    expect(warning?.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await counterValue(h.metrics, 'requestsTotal', { source: 'forward', status: 'error' })).toBe(1);
  });

  for (const [what, bytes] of [
    ['an HTTP request', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['a msgpack map', pack({ tag: 'app', record: {} })],
    ['a PING without a handshake', pack(['PING', 'host', 'salt', 'digest', '', ''])],
    ['a bad EventTime ext', Buffer.from([0x93, 0xa3, 0x61, 0x62, 0x63, 0xd6, 0x00, 1, 2, 3, 4, 0x80])],
    ['an option that is not a map', pack(['app', [[1, { message: 'm' }]], 'option'])],
    ['a truncated packed payload', pack(['app', pack([1, { message: 'm' }]).subarray(0, 4), { size: 1 }])],
    ['a corrupt gzip payload', pack(['app', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad]), { compressed: 'gzip' }])],
  ] as const) {
    it(`closes the connection on ${what}`, async () => {
      h = await startSource();
      const c = await open();
      await c.write(bytes);
      await c.waitForClose();
      expect(c.replies).toEqual([]);
      expect(h.intake.records).toHaveLength(0);
      expect(h.logs.some((l) => l.msg === 'closing forward connection' && l.offset === 0)).toBe(true);
    });
  }

  it('closes a connection whose incomplete message exceeds max_message_bytes', async () => {
    h = await startSource({ max_message_bytes: 4096 });
    const c = await open();
    const big = forward('app.big', ['x'.repeat(10_000)], 'big');
    await c.write(big.subarray(0, 6000)).catch(() => undefined);
    await c.waitForClose();
    expect(h.logs.find((l) => l.reason === 'message_too_large')).toBeDefined();
    expect(h.intake.records).toHaveLength(0);
  });

  it('acknowledges and drops a compressed payload that expands beyond max_decompressed_bytes, so it is not resent for ever', async () => {
    h = await startSource({ max_decompressed_bytes: 64 * 1024 });
    const c = await open();
    const entries = Buffer.concat(Array.from({ length: 100 }, () => pack([T, { message: 'y'.repeat(2000) }])));
    await c.write(pack(['app.bomb', gzipSync(entries), { chunk: 'bomb', compressed: 'gzip' }]));
    await c.write(forward('app.after', ['still served'], 'after'));
    expect(await c.waitForReplies(2)).toEqual([{ ack: 'bomb' }, { ack: 'after' }]);
    expect(h.intake.records.map((r) => r.message)).toEqual(['still served']);
    expect(h.logs.find((l) => l.reason === 'too_large' && l.chunk === 'bomb')).toBeDefined();
    expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'too_large' })).toBe(1);
  });

  it('holds the ack while the Intake is full and acks once it drains, in order', async () => {
    const intake = new RefusalCountingIntake();
    intake.capacity = 0;
    h = await startSource({}, intake);
    const c = await open();
    await c.write(Buffer.concat([forward('app.bp', ['one', 'two'], 'first'), forward('app.bp', ['three'], 'second')]));
    await waitUntil(() => intake.refusals > 0, 'the source to meet the full buffer');
    expect(c.replies).toEqual([]);
    expect(intake.records).toHaveLength(0);

    intake.capacity = Number.POSITIVE_INFINITY;
    intake.drain();
    expect(await c.waitForReplies(2)).toEqual([{ ack: 'first' }, { ack: 'second' }]);
    expect(intake.records.map((r) => r.message)).toEqual(['one', 'two', 'three']);
  });

  it('retries admission after whenWritable when the batch still does not fit', async () => {
    const intake = new RefusalCountingIntake();
    intake.capacity = 1;
    h = await startSource({}, intake);
    const c = await open();
    // Two records never fit a capacity of one; whenWritable resolves at once, so the source must back off, not spin.
    await c.write(forward('app.bp', ['a', 'b'], 'big'));
    await waitUntil(() => intake.refusals >= 2, 'a retried admission');
    expect(c.replies).toEqual([]);
    intake.capacity = 10;
    expect(await c.waitForReplies(1, 10_000)).toEqual([{ ack: 'big' }]);
    expect(intake.records).toHaveLength(2);
  });

  it('does not ack and closes the connection while the Intake shuts down', async () => {
    const intake = new CollectingIntake();
    intake.shuttingDown = true;
    h = await startSource({}, intake);
    const c = await open();
    await c.write(forward('app.sd', ['late'], 'sd'));
    await c.waitForClose();
    expect(c.replies).toEqual([]);
    expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'shutting_down' })).toBe(1);
  });

  it('close() ends idle connections and abandons (without ack) a message waiting for buffer space', async () => {
    const intake = new RefusalCountingIntake();
    intake.capacity = 0;
    h = await startSource({}, intake);
    const idle = await open();
    const waiting = await open();
    await waiting.write(forward('app.wait', ['w'], 'w'));
    await waitUntil(() => intake.refusals > 0, 'the source to meet the full buffer');
    await h.source.close();
    h = undefined;
    await idle.waitForClose();
    await waiting.waitForClose();
    expect(waiting.replies).toEqual([]);
  });

  it('drops connections beyond max_connections and keeps serving the ones it has', async () => {
    h = await startSource({ max_connections: 1 });
    const first = await open();
    // The listen backlog hands connections over in order, so the first is accepted before the second.
    const second = await open();
    await second.waitForClose();
    await first.write(forward('app.max', ['kept'], 'k'));
    expect(await first.waitForReplies(1)).toEqual([{ ack: 'k' }]);
    await waitUntil(() => h!.logs.some((l) => l.msg === 'forward connection refused: max_connections reached'), 'drop warning');
  });

  it('closes idle connections after idle_timeout_seconds', async () => {
    h = await startSource({ idle_timeout_seconds: 1 });
    const c = await open();
    await c.waitForClose(10_000);
  });

  it('answers the last message of a client that half-closes right after sending it', async () => {
    h = await startSource();
    const c = await open();
    c.socket.end(forward('app.fin', ['last'], 'fin'));
    await c.waitForClose();
    expect(c.replies).toEqual([{ ack: 'fin' }]);
  });
});
