/**
 * Replays every Fluent Bit 5.1.1 out_forward capture (test/fixtures/fluent-bit/forward)
 * byte for byte over TCP, whole and split into 1-byte and pseudo-random pieces,
 * and checks each record field by field against the capture's decoded view.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from '@msgpack/msgpack';
import { afterEach, describe, expect, it } from 'vitest';
import { EventTime, fluentExtensionCodec } from '../../../src/sources/fluent_entry.js';
import { counterValue, RawClient, seededSizes, startSource, waitUntil, type Harness } from './harness.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/fluent-bit/forward/', import.meta.url));
const CASES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.raw.bin'))
  .map((f) => f.slice(0, -'.raw.bin'.length))
  .sort();

interface DecodedTime {
  $EventTime?: { sec: number; nsec: number };
}
interface DecodedMessage {
  tag: string;
  mode: 'Forward' | 'Message' | 'CompressedPackedForward' | 'PackedForward';
  options: { chunk?: string } | null;
  decoded: unknown[];
  entries_decoded?: unknown[];
}

const MODE_LABEL = { Forward: 'forward', Message: 'message', PackedForward: 'packed_forward', CompressedPackedForward: 'compressed_packed_forward' } as const;

/** Expected [tag, epoch ms] of every event in a capture, in order, from its decoded view. */
function expectedEvents(name: string): { messages: DecodedMessage[]; events: Array<{ tag: string; timestamp: number; sec: number; nsec: number }> } {
  const { messages } = JSON.parse(readFileSync(join(FIXTURES, `${name}.decoded.json`), 'utf8')) as { messages: DecodedMessage[] };
  const events = messages.flatMap((m) => {
    const entries = m.mode === 'Message' ? [[m.decoded[1], m.decoded[2]]] : (m.entries_decoded ?? (m.decoded[1] as unknown[]));
    return (entries as unknown[][]).map((entry) => {
      const head = Array.isArray(entry[0]) ? entry[0][0] : entry[0];
      const et = (head as DecodedTime).$EventTime;
      const sec = et ? et.sec : (head as number);
      const nsec = et ? et.nsec : 0;
      return { tag: m.tag, sec, nsec, timestamp: sec * 1000 + nsec / 1e6 };
    });
  });
  return { messages, events };
}

const SPLITS: Array<[string, ((i: number) => number) | undefined]> = [
  ['whole', undefined],
  ['1-byte writes', () => 1],
  ['random-size writes', seededSizes(0x5eed, 23)],
];

/** A trailing message that asks for an ack, so "no ack for the capture" can be asserted without waiting on a clock. */
const PROBE_CHUNK = 'probe-chunk';
const probe = encode(['probe', [[new EventTime(1, 0), { message: 'probe' }]], { chunk: PROBE_CHUNK }], { extensionCodec: fluentExtensionCodec });

describe('Fluent Bit out_forward captures', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.source.close();
    h = undefined;
  });

  it('has captures to replay', () => {
    expect(CASES).toEqual(expect.arrayContaining(['default', 'ack_replied', 'ack_noreply', 'gzip', 'message_mode', 'time_as_integer', 'retain_metadata_off', 'send_options']));
  });

  for (const name of CASES) {
    for (const [how, pieces] of SPLITS) {
      it(`${name}: ${how}`, async () => {
        h = await startSource();
        const bytes = readFileSync(join(FIXTURES, `${name}.raw.bin`));
        const { messages, events } = expectedEvents(name);
        const client = await RawClient.open(h.port);
        await client.write(bytes, pieces);
        await client.write(probe);

        const chunks = messages.map((m) => m.options?.chunk).filter((c): c is string => c !== undefined);
        const replies = await client.waitForReplies(chunks.length + 1);
        expect(replies).toEqual([...chunks.map((chunk) => ({ ack: chunk })), { ack: PROBE_CHUNK }]);

        const records = h.intake.records.filter((r) => r.tag !== 'probe');
        expect(records).toHaveLength(events.length);
        records.forEach((record, i) => {
          const want = events[i];
          expect(record.tag).toBe(want.tag);
          expect(record.source).toBe('forward');
          expect(record.message).toBe('hello wörld "quoted"');
          expect(record.level).toBe('info');
          expect(record.service).toBe(want.tag.split('.').pop());
          expect(record.fields).toEqual({ level: 'info', n: 42, f: 1.5, ok: true, nil: null, nested: { k: 'v' }, arr: [1, 'two'] });
          expect(record.timestamp).toBe(want.timestamp);
          // Sub-millisecond part of the EventTime survives (a double keeps ~0.25 µs at today's epoch).
          expect(Math.abs(record.timestamp - want.sec * 1000 - want.nsec / 1e6)).toBeLessThan(0.001);
          expect(Math.round((record.timestamp - want.sec * 1000) * 1000)).toBe(Math.round(want.nsec / 1000));
        });
        const format = MODE_LABEL[messages[0].mode];
        const probeRecords = format === 'forward' ? 1 : 0;
        expect(await counterValue(h.metrics, 'recordsReceived', { source: 'forward', format })).toBe(events.length + probeRecords);
        client.end();
      });
    }
  }

  it('acks a retried chunk again without admitting its records twice', async () => {
    h = await startSource();
    const bytes = readFileSync(join(FIXTURES, 'ack_noreply.raw.bin'));
    const first = await RawClient.open(h.port);
    await first.write(bytes);
    expect(await first.waitForReplies(1)).toEqual([{ ack: 'Na4SJpjrX6ZT84PoGivXoA==' }]);
    first.end();

    // Fluent Bit retries an unacked chunk on a new connection with the same chunk id.
    const retry = await RawClient.open(h.port);
    await retry.write(bytes, seededSizes(7, 40));
    expect(await retry.waitForReplies(1)).toEqual([{ ack: 'Na4SJpjrX6ZT84PoGivXoA==' }]);
    await waitUntil(() => h!.intake.records.length >= 2, 'first delivery');
    expect(h.intake.records).toHaveLength(2);
    expect(await counterValue(h.metrics, 'requestsTotal', { source: 'forward', status: 'duplicate' })).toBe(1);
    expect(await counterValue(h.metrics, 'requestsTotal', { source: 'forward', status: 'ok' })).toBe(1);
    retry.end();
  });

  it('decodes every message of a connection that carries several captures back to back', async () => {
    h = await startSource();
    const all = Buffer.concat(CASES.map((name) => readFileSync(join(FIXTURES, `${name}.raw.bin`))));
    const total = CASES.reduce((n, name) => n + expectedEvents(name).events.length, 0);
    const client = await RawClient.open(h.port);
    await client.write(all, seededSizes(99, 64));
    await client.write(probe);
    await client.waitForReplies(3);
    expect(h.intake.records.filter((r) => r.tag !== 'probe')).toHaveLength(total);
    client.end();
  });
});
