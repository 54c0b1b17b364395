/**
 * Forward protocol v1 handshake, server side
 * (https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1#handshake-messages):
 *
 *   server → HELO  ["HELO", {nonce, auth, keepalive: true}]
 *   client → PING  ["PING", client_hostname, shared_key_salt, sha512_hex(salt + client_hostname + nonce + shared_key),
 *                   username | "", sha512_hex(auth + username + password) | ""]
 *   server → PONG  ["PONG", ok, reason, self_hostname, sha512_hex(salt + self_hostname + nonce + shared_key)]
 *
 * Digests hash the raw bytes of each part. Clients disagree on whether nonce
 * and auth are bin or str (Fluent Bit sends random bytes as str, which
 * @fluent-org/logger would UTF-8-decode lossily), so we send them as str of
 * ASCII hex: every client then hashes the same bytes we do. The PING must be
 * decoded with raw strings, because Fluent Bit's salt is random bytes in a str.
 * Pure functions; the connection does the I/O.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ForwardUser } from './config.js';

export interface HandshakeSettings {
  sharedKey: string;
  selfHostname: string;
  users?: ForwardUser[];
}

/** Per-connection secrets sent in HELO. */
export interface HandshakeSession {
  nonce: string;
  /** Salt for user auth; empty when no users are configured, which tells clients not to send credentials. */
  authSalt: string;
}

export type Helo = ['HELO', { nonce: string; auth: string; keepalive: boolean }];
export type Pong = ['PONG', boolean, string, string, string];

export type PingVerdict = { ok: true; clientHostname: string; pong: Pong } | { ok: false; reason: string; pong: Pong };

const NONCE_BYTES = 16;

export function openSession(settings: HandshakeSettings): HandshakeSession {
  return {
    nonce: randomBytes(NONCE_BYTES).toString('hex'),
    authSalt: settings.users ? randomBytes(NONCE_BYTES).toString('hex') : '',
  };
}

export function helo(session: HandshakeSession): Helo {
  return ['HELO', { nonce: session.nonce, auth: session.authSalt, keepalive: true }];
}

function sha512Hex(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

function sameDigest(expected: string, given: Uint8Array): boolean {
  const want = Buffer.from(expected, 'latin1');
  return want.length === given.length && timingSafeEqual(want, given);
}

function text(v: Uint8Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
}

/** True for a PING whose strings were decoded as raw bytes (the salt may also be bin). */
export function isPing(message: unknown): message is [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array] {
  return (
    Array.isArray(message) &&
    message.length === 6 &&
    message.every((part) => part instanceof Uint8Array) &&
    text(message[0] as Uint8Array) === 'PING'
  );
}

/** Checks a PING against the session and answers with the PONG to send. */
export function verifyPing(
  ping: [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array],
  session: HandshakeSession,
  settings: HandshakeSettings,
): PingVerdict {
  const [, hostnameBytes, salt, digest, usernameBytes, passwordDigest] = ping;
  const clientHostname = text(hostnameBytes);
  const refuse = (reason: string): PingVerdict => ({ ok: false, reason, pong: ['PONG', false, reason, settings.selfHostname, ''] });

  if (clientHostname === settings.selfHostname) return refuse('same hostname between input and output: invalid configuration');
  if (!sameDigest(sha512Hex(salt, hostnameBytes, session.nonce, settings.sharedKey), digest)) return refuse('shared_key mismatch');
  if (settings.users) {
    const username = text(usernameBytes);
    const user = settings.users.find((u) => u.username === username);
    if (!user || !sameDigest(sha512Hex(session.authSalt, username, user.password), passwordDigest)) {
      return refuse('username/password mismatch');
    }
  }
  const proof = sha512Hex(salt, settings.selfHostname, session.nonce, settings.sharedKey);
  return { ok: true, clientHostname, pong: ['PONG', true, '', settings.selfHostname, proof] };
}
