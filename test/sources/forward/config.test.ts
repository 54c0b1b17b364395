import { describe, expect, it } from 'vitest';
import { ForwardSourceConfigSchema } from '../../../src/sources/forward/config.js';

describe('ForwardSourceConfigSchema', () => {
  it('fills documented defaults', () => {
    expect(ForwardSourceConfigSchema.parse({})).toEqual({
      enabled: true,
      address: '0.0.0.0',
      port: 24224,
      self_hostname: 'lookout',
      max_message_bytes: 64 * 1024 * 1024,
      max_decompressed_bytes: 64 * 1024 * 1024,
      chunk_dedup_size: 10_000,
      chunk_dedup_ttl_seconds: 600,
      max_records_per_message: 100_000,
      max_decoded_bytes: 256 * 1024 * 1024,
      max_nesting_depth: 64,
      max_inflight_bytes: 256 * 1024 * 1024,
      idle_timeout_seconds: 60,
      handshake_timeout_seconds: 10,
      message_timeout_seconds: 60,
      max_connections: 1000,
    });
  });

  it('rejects unknown keys and users without shared_key', () => {
    expect(ForwardSourceConfigSchema.safeParse({ sharedkey: 'x' }).success).toBe(false);
    expect(ForwardSourceConfigSchema.safeParse({ users: [{ username: 'a', password: 'b' }] }).success).toBe(false);
    expect(ForwardSourceConfigSchema.safeParse({ shared_key: 'k', users: [{ username: 'a', password: 'b' }] }).success).toBe(true);
  });
});
