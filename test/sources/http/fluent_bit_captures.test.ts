/**
 * Every Fluent Bit v5.1.1 out_http capture replayed byte for byte, with its
 * headers in their original order, against the real router; the records out
 * of the intake are checked field by field.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBSERVED_AT, counterValue, startHarness, type Harness } from './harness.js';

const DIR = join(import.meta.dirname, '../../fixtures/fluent-bit/http');

interface Capture {
  name: string;
  path: string;
  headers: string[];
  body: Buffer;
}

function loadCapture(name: string): Capture {
  const meta = JSON.parse(readFileSync(join(DIR, `${name}-001.meta.json`), 'utf8')) as { path: string; headers: [string, string][]; body_len: number };
  const body = readFileSync(join(DIR, `${name}-001.body.bin`));
  expect(body.length).toBe(meta.body_len);
  return { name, path: meta.path, headers: meta.headers.flat(), body };
}

/** Event time of each capture's two records, in epoch ms, from the bodies' own date values. */
const isoMs = (isoMillis: string, extraMicros: number) => Date.parse(isoMillis) + extraMicros / 1000;
const EXPECTED_TIMES: Record<string, [number, number]> = {
  json: [1795500202.822511e3, 1795500202.822579e3],
  json_lines: [1795500218.822493e3, 1795500218.822558e3],
  json_stream: [1795500225.822507e3, 1795500225.82256e3],
  msgpack: [1795500232822.52711, 1795500232822.594169],
  json_gzip: [1795500239.822471e3, 1795500239.822529e3],
  json_date_epoch: [1795500253000, 1795500253000],
  json_date_epoch_ms: [1795500260822, 1795500260822],
  json_date_iso8601: [isoMs('2026-11-24T06:04:06.822Z', 564), isoMs('2026-11-24T06:04:06.822Z', 637)],
  json_date_java_sql: [isoMs('2026-11-24T06:04:27.822Z', 495), isoMs('2026-11-24T06:04:27.822Z', 552)],
  json_date_key_custom: [isoMs('2026-11-24T06:04:34.822Z', 476), isoMs('2026-11-24T06:04:34.822Z', 531)],
  json_date_key_off: [OBSERVED_AT, OBSERVED_AT],
  json_lines_gzip: [1795500288.822458e3, 1795500288.822514e3],
  json_zstd: [1795500295.822552e3, 1795500295.822621e3],
  json_auth_headers: [1795500302.822501e3, 1795500302.822564e3],
  json_escape_unicode_off: [1795500321.822523e3, 1795500321.82259e3],
};

const EXPECTED_FORMAT: Record<string, string> = { json_lines: 'ndjson', json_lines_gzip: 'ndjson', msgpack: 'msgpack' };

const captureNames = readdirSync(DIR)
  .filter((f) => f.endsWith('-001.meta.json'))
  .map((f) => f.replace('-001.meta.json', ''))
  .sort();

describe('Fluent Bit out_http captures', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ paths: ['/', '/ingest/:case'] });
  });
  afterAll(() => h.close());

  it('has a capture for every case in the expectation table', () => {
    expect(captureNames).toEqual(Object.keys(EXPECTED_TIMES).sort());
  });

  for (const name of Object.keys(EXPECTED_TIMES)) {
    it(`accepts ${name} and yields both records field by field`, async () => {
      const capture = loadCapture(name);
      h.intake.drain();
      const reply = await h.post(capture.path, capture.body, capture.headers);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ accepted: 2 });
      const records = h.intake.drain();
      expect(records).toHaveLength(2);
      records.forEach((r, i) => {
        expect(r.message).toBe('hello wörld "quoted"');
        expect(r.level).toBe('info');
        expect(r.source).toBe('http');
        expect(r.observedAt).toBe(OBSERVED_AT);
        expect(r.timestamp).toBeCloseTo(EXPECTED_TIMES[name][i], 2);
        // The date key (date / @timestamp) is consumed as the timestamp, message as the message.
        expect(r.fields).toEqual({ level: 'info', n: 42, f: 1.5, ok: true, nil: null, nested: { k: 'v' }, arr: [1, 'two'] });
        expect(r.size).toBeGreaterThan(0);
        if (name === 'json_auth_headers') {
          expect(r.tag).toBe('app.http.json_auth_headers');
          expect(r.service).toBe('json_auth_headers');
        } else {
          expect(r.tag).toBeUndefined();
          expect(r.service).toBe('unknown');
        }
      });
      expect(await counterValue(h.metrics, 'recordsReceived', { source: 'http', format: EXPECTED_FORMAT[name] ?? 'json' })).toBeGreaterThanOrEqual(2);
    });
  }

  it('requires the capture\'s Basic credentials when auth is configured', async () => {
    const authed = await startHarness({ paths: ['/ingest/:case'], auth: { basic: { user: 'alice', password: 's3cret' } } });
    try {
      const capture = loadCapture('json_auth_headers');
      expect((await authed.post(capture.path, capture.body, capture.headers)).status).toBe(200);
      const withoutAuth = capture.headers.filter((_, i, all) => all[i - (i % 2)] !== 'Authorization');
      const refused = await authed.post(capture.path, capture.body, withoutAuth);
      expect(refused.status).toBe(401);
      expect(authed.intake.records).toHaveLength(2);
    } finally {
      await authed.close();
    }
  });

  it('takes the first of two Content-Type headers (Fluent Bit with a custom Content-Type header)', async () => {
    const capture = loadCapture('json');
    h.intake.drain();
    const reply = await h.post('/', capture.body, [...capture.headers, 'Content-Type', 'text/plain']);
    expect(reply.status).toBe(200);
    expect(h.intake.drain().map((r) => r.message)).toEqual(['hello wörld "quoted"', 'hello wörld "quoted"']);
  });
});
