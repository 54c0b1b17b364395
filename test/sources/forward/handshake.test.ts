/**
 * The shared_key handshake spoken by hand, with digests computed here from the
 * spec's formulas, including salts sent as bin (Fluentd) and as a str of raw
 * random bytes (Fluent Bit), which a UTF-8 decode would corrupt.
 */
import { createHash, randomBytes } from 'node:crypto';
import { encode } from '@msgpack/msgpack';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, startSource, type Harness } from './harness.js';

const KEY = 'k3y';
const SERVER = 'lookout-test';
const sha512Hex = (...parts: Array<string | Uint8Array>): string => {
  const h = createHash('sha512');
  parts.forEach((p) => h.update(p));
  return h.digest('hex');
};

/** Encodes a PING whose salt is a msgpack str holding raw bytes, as Fluent Bit's out_forward does. */
function pingWithStrSalt(hostname: string, salt: Buffer, digest: string): Buffer {
  return Buffer.concat([Buffer.from([0x96]), encode('PING'), encode(hostname), Buffer.from([0xd9, salt.length]), salt, encode(digest), encode(''), encode('')]);
}

describe('Forward handshake (raw)', () => {
  let h: Harness | undefined;
  let c: RawClient | undefined;
  afterEach(async () => {
    c?.end();
    await h?.source.close();
    h = c = undefined;
  });

  async function helo(config: Record<string, unknown> = {}): Promise<{ nonce: string; auth: string }> {
    h = await startSource({ shared_key: KEY, self_hostname: SERVER, ...config });
    c = await RawClient.open(h.port);
    const [hello] = await c.waitForReplies(1);
    expect(hello).toEqual(['HELO', { nonce: expect.stringMatching(/^[0-9a-f]{32}$/), auth: expect.any(String), keepalive: true }]);
    return (hello as [string, { nonce: string; auth: string }])[1];
  }

  it('sends a fresh nonce per connection', async () => {
    const { nonce } = await helo();
    const other = await RawClient.open(h!.port);
    const [[, second]] = (await other.waitForReplies(1)) as Array<[string, { nonce: string }]>;
    other.end();
    expect(second.nonce).not.toBe(nonce);
  });

  it('accepts a PING with a bin salt, proves its own key in PONG, then takes data', async () => {
    const { nonce, auth } = await helo();
    expect(auth).toBe('');
    const salt = randomBytes(16);
    await c!.write(encode(['PING', 'fluentd-host', salt, sha512Hex(salt, 'fluentd-host', nonce, KEY), '', '']));
    const replies = await c!.waitForReplies(2);
    expect(replies[1]).toEqual(['PONG', true, '', SERVER, sha512Hex(salt, SERVER, nonce, KEY)]);

    await c!.write(encode(['app.sec', [[1_795_500_000, { message: 'after handshake' }]], { chunk: 'x' }]));
    expect((await c!.waitForReplies(3))[2]).toEqual({ ack: 'x' });
    expect(h!.intake.records.map((r) => r.message)).toEqual(['after handshake']);
  });

  it('accepts a PING whose salt is a str of raw (non-UTF-8) bytes', async () => {
    const { nonce } = await helo();
    const salt = Buffer.from([0xff, 0xfe, 0x80, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0x01]);
    await c!.write(pingWithStrSalt('fluent-bit', salt, sha512Hex(salt, 'fluent-bit', nonce, KEY)));
    const replies = await c!.waitForReplies(2);
    expect(replies[1]).toEqual(['PONG', true, '', SERVER, sha512Hex(salt, SERVER, nonce, KEY)]);
  });

  it('answers PONG false and closes on a wrong key digest', async () => {
    const { nonce } = await helo();
    const salt = randomBytes(16);
    await c!.write(encode(['PING', 'fluentd-host', salt, sha512Hex(salt, 'fluentd-host', nonce, 'other-key'), '', '']));
    await c!.waitForClose();
    expect(c!.replies[1]).toEqual(['PONG', false, 'shared_key mismatch', SERVER, '']);
    expect(h!.logs.find((l) => l.reason === 'handshake_failed')).toMatchObject({ offset: 0 });
  });

  it('refuses a client that uses our own hostname', async () => {
    const { nonce } = await helo();
    const salt = randomBytes(16);
    await c!.write(encode(['PING', SERVER, salt, sha512Hex(salt, SERVER, nonce, KEY), '', '']));
    await c!.waitForClose();
    expect(c!.replies[1]).toEqual(['PONG', false, expect.stringContaining('same hostname'), SERVER, '']);
  });

  it('closes a connection that sends data instead of PING', async () => {
    await helo();
    await c!.write(encode(['app.sec', [[1_795_500_000, { message: 'sneaky' }]], { chunk: 'y' }]));
    await c!.waitForClose();
    expect(c!.replies).toHaveLength(1);
    expect(h!.intake.records).toHaveLength(0);
  });

  it('checks user credentials against the auth salt', async () => {
    const { nonce, auth } = await helo({ users: [{ username: 'bob', password: 'pw' }] });
    expect(auth).toMatch(/^[0-9a-f]{32}$/);
    const salt = randomBytes(16);
    const keyDigest = sha512Hex(salt, 'h', nonce, KEY);
    await c!.write(encode(['PING', 'h', salt, keyDigest, 'bob', sha512Hex(auth, 'bob', 'pw')]));
    expect((await c!.waitForReplies(2))[1]).toEqual(['PONG', true, '', SERVER, sha512Hex(salt, SERVER, nonce, KEY)]);

    const second = await RawClient.open(h!.port);
    const [[, hello2]] = (await second.waitForReplies(1)) as Array<[string, { nonce: string; auth: string }]>;
    await second.write(encode(['PING', 'h', salt, sha512Hex(salt, 'h', hello2.nonce, KEY), 'bob', sha512Hex(hello2.auth, 'bob', 'wrong')]));
    await second.waitForClose();
    expect(second.replies[1]).toEqual(['PONG', false, 'username/password mismatch', SERVER, '']);
  });
});
