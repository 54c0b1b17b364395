/**
 * Authorization check for the HTTP source: Bearer (RFC 6750) and Basic
 * (RFC 7617), either or both. Credentials are compared as SHA-256 digests with
 * crypto.timingSafeEqual, so neither the length nor the content of the secret
 * leaks through response timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpAuthConfig } from './config.js';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

export interface Authenticator {
  /** True when the Authorization header value carries a configured credential. */
  accepts(authorization: string | undefined): boolean;
  /** WWW-Authenticate challenges for a 401. */
  readonly challenges: string[];
}

/** Returns undefined when no credential is configured (every request is accepted). */
export function createAuthenticator(auth: HttpAuthConfig | undefined): Authenticator | undefined {
  const bearer = auth?.bearer_token !== undefined ? digest(auth.bearer_token) : undefined;
  const basic = auth?.basic ? digest(`${auth.basic.user}:${auth.basic.password}`) : undefined;
  if (!bearer && !basic) return undefined;

  const challenges: string[] = [];
  if (bearer) challenges.push('Bearer realm="lookout"');
  if (basic) challenges.push('Basic realm="lookout", charset="UTF-8"');

  return {
    challenges,
    accepts(authorization) {
      if (!authorization) return false;
      const space = authorization.indexOf(' ');
      if (space < 0) return false;
      const scheme = authorization.slice(0, space).toLowerCase();
      const credential = authorization.slice(space + 1).trim();
      if (scheme === 'bearer' && bearer) return sameSecret(credential, bearer);
      if (scheme === 'basic' && basic) return sameSecret(Buffer.from(credential, 'base64').toString('utf8'), basic);
      return false;
    },
  };
}
