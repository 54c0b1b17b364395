/**
 * @fluent-org/logger's FluentClient as a real client against the Forward
 * source: every event mode with acks on, integer and EventTime times, and the
 * shared_key handshake (with and without user auth, and with a wrong key).
 */
import { EventTime as ClientEventTime, FluentClient, FluentSocketEvent, type EventModes, type FluentClientOptions } from '@fluent-org/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { counterValue, startSource, waitUntil, type Harness } from './harness.js';

const MODES: Array<[EventModes, string]> = [
  ['Message', 'message'],
  ['Forward', 'forward'],
  ['PackedForward', 'packed_forward'],
  ['CompressedPackedForward', 'compressed_packed_forward'],
];

/** A client that does not reconnect (so a failed handshake stays failed); such a client must be connected explicitly. */
function client(port: number, options: FluentClientOptions = {}): FluentClient {
  const c = new FluentClient('app', {
    ack: { ackTimeout: 10_000 },
    socket: { host: '127.0.0.1', port, disableReconnect: true },
    ...options,
  });
  clients.push(c);
  c.connect().catch(() => undefined);
  return c;
}

const clients: FluentClient[] = [];

describe('FluentClient against the Forward source', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.shutdown().catch(() => undefined)));
    await h?.source.close();
    h = undefined;
  });

  for (const [eventMode, format] of MODES) {
    it(`${eventMode}: emits resolve on acks and records arrive intact`, async () => {
      h = await startSource();
      const c = client(h.port, { eventMode });
        const at = new ClientEventTime(1_795_500_342, 822_633_252);
      await Promise.all([
        c.emit('orders', { message: 'order 1 failed', level: 'error', order: { id: 1 } }, at),
        c.emit('orders', { message: 'order 2 ok', severity: 'INFO', tags: ['a', 'b'] }, 1_795_500_343_250),
        c.emit('billing', { log: 'plain line' }, new Date(1_795_500_344_000)),
      ]);
      const byMessage = new Map(h.intake.records.map((r) => [r.message, r]));
      expect(h.intake.records).toHaveLength(3);

      const first = byMessage.get('order 1 failed')!;
      expect(first).toMatchObject({ tag: 'app.orders', level: 'error', service: 'orders', source: 'forward', fields: { level: 'error', order: { id: 1 } } });
      expect(first.timestamp).toBe(1_795_500_342_000 + 822_633_252 / 1e6);

      const second = byMessage.get('order 2 ok')!;
      expect(second).toMatchObject({ tag: 'app.orders', level: 'info', fields: { severity: 'INFO', tags: ['a', 'b'] } });
      // milliseconds: false (the default) sends integer seconds, floor(ms / 1000).
      expect(second.timestamp).toBe(1_795_500_343_000);

      const third = byMessage.get('plain line')!;
      expect(third).toMatchObject({ tag: 'app.billing', service: 'billing', fields: {} });
      expect(third.timestamp).toBe(1_795_500_344_000);

      expect(await counterValue(h.metrics, 'recordsReceived', { source: 'forward', format })).toBe(3);
    });
  }

  it('keeps millisecond EventTimes from a client with milliseconds: true', async () => {
    h = await startSource();
    const c = client(h.port, { eventMode: 'PackedForward', milliseconds: true });
    await c.emit('ms', { message: 'x' }, 1_795_500_343_251);
    expect(h.intake.records[0].timestamp).toBe(1_795_500_343_251);
  });

  it('completes the shared_key handshake and then ingests', async () => {
    h = await startSource({ shared_key: 's3cret', self_hostname: 'lookout-test' });
    const c = client(h.port, { eventMode: 'Forward', security: { clientHostname: 'app-host', sharedKey: 's3cret' } });
    await c.emit('secure', { message: 'authenticated' });
    expect(h.intake.records.map((r) => r.message)).toEqual(['authenticated']);
  });

  it('completes the handshake with user auth', async () => {
    h = await startSource({ shared_key: 's3cret', users: [{ username: 'alice', password: 'pw1' }] });
    const c = client(h.port, { eventMode: 'Message', security: { clientHostname: 'app-host', sharedKey: 's3cret', username: 'alice', password: 'pw1' } });
    await c.emit('secure', { message: 'alice was here' });
    expect(h.intake.records.map((r) => r.message)).toEqual(['alice was here']);
  });

  for (const [what, security, reason] of [
    ['a wrong shared key', { clientHostname: 'app-host', sharedKey: 'wrong' }, 'shared_key mismatch'],
    ['a wrong password', { clientHostname: 'app-host', sharedKey: 's3cret', username: 'alice', password: 'nope' }, 'username/password mismatch'],
  ] as const) {
    it(`refuses ${what} with PONG false and ingests nothing`, async () => {
      h = await startSource({ shared_key: 's3cret', users: [{ username: 'alice', password: 'pw1' }] });
      const c = client(h.port, { eventMode: 'Forward', security });
        const errors: Error[] = [];
      c.socketOn(FluentSocketEvent.ERROR, (err: Error) => errors.push(err));
      c.emit('secure', { message: 'should not arrive' }).catch(() => undefined);
      await waitUntil(() => errors.length > 0, 'client handshake error');
      expect(errors[0].message).toContain(reason);
      await waitUntil(() => h!.logs.some((l) => l.reason === 'handshake_failed'), 'server warning');
      expect(h.intake.records).toHaveLength(0);
      expect(await counterValue(h.metrics, 'recordsRejected', { reason: 'handshake_failed' })).toBe(1);
    });
  }
});
