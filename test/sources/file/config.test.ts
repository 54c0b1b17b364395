import { describe, expect, it } from 'vitest';
import { FileSourceConfigSchema } from '../../../src/sources/file/config.js';

describe('FileSourceConfigSchema', () => {
  it('defaults to auto detection and batches of 1000', () => {
    expect(FileSourceConfigSchema.parse({})).toEqual({ format: 'auto', batch_size: 1000 });
  });

  it('accepts every format and rejects unknown keys and values', () => {
    for (const format of ['auto', 'plain', 'json', 'cri', 'syslog', 'logfmt', 'log4j', 'apache_error', 'access_log', 'bgl', 'thunderbird', 'timestamped', 'raw']) {
      expect(FileSourceConfigSchema.parse({ format }).format).toBe(format);
    }
    expect(FileSourceConfigSchema.safeParse({ format: 'xml' }).success).toBe(false);
    expect(FileSourceConfigSchema.safeParse({ batch_size: 0 }).success).toBe(false);
    expect(FileSourceConfigSchema.safeParse({ batchSize: 10 }).success).toBe(false);
  });
});
