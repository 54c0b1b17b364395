/**
 * PackedForward decode benchmark: the Forward source's own path (each entry
 * measured, then read by MeasuredMsgpackReader) against `@msgpack/msgpack`'s
 * decoder (which it used before, and still decodes frames with) and `msgpackr`
 * (a devDependency, here only to be measured) on the real entry shapes — Fluent Bit 5's `[[EventTime, {}], record]` and the
 * classic `[EventTime, record]` — 1,000 entries of a Vector-shaped record per
 * payload, decoded and read into events with the source's own readEntries.
 * msgpackr runs as npm installs it here: without its optional native
 * extension (its install script is not run), i.e. its pure JavaScript decoder.
 * Figures are CPU time (process.cpuUsage) per entry, median of ROUNDS, so
 * other work on the machine moves them less than wall time would.
 */
import { Decoder, encode } from '@msgpack/msgpack';
import { addExtension, Unpackr } from 'msgpackr';
import { EventTime, fluentExtensionCodec } from '../../src/sources/fluent_entry.js';
import { readEntries } from '../../src/sources/forward/entries.js';
import { readPackedForwardMode } from '../../src/sources/forward/packed_forward.js';
import { DecodeBudget } from '../../src/sources/decode_limits.js';
import { measureMsgpack } from '../../src/sources/msgpack_shape.js';
import { vectorEvent } from './shared.js';

const ENTRIES = 1000;
const ROUNDS = 7;
const PASSES = 40;


function payload(shape: 'metadata' | 'classic', b: number): Uint8Array {
  const parts = Array.from({ length: ENTRIES }, (_, i) => {
    const time = EventTime.fromMillis(Date.UTC(2026, 10, 24, 10) + b * ENTRIES + i);
    const entry = shape === 'metadata' ? [[time, {}], vectorEvent(b * ENTRIES + i)] : [time, vectorEvent(b * ENTRIES + i)];
    return encode(entry, { extensionCodec: fluentExtensionCodec });
  });
  return Buffer.concat(parts);
}

/** What the Forward source does with a PackedForward payload: measure every entry against its limits, then read it. */
function forwardSource(p: Uint8Array): number {
  const budget = new DecodeBudget({ maxRecords: 1_000_000, maxDecodedBytes: 1 << 30, maxDepth: 64 });
  for (let pos = 0; pos < p.length; ) {
    budget.addRecord(pos);
    pos = measureMsgpack(p, pos, budget, 1);
  }
  return readPackedForwardMode(p, 0).events.length;
}

function cpuMicros(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

function measure(label: string, payloads: Uint8Array[], decode: (p: Uint8Array) => number): number {
  const perEntry: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let events = 0;
    const micros = cpuMicros(() => {
      for (let pass = 0; pass < PASSES; pass++) for (const p of payloads) events += decode(p);
    });
    perEntry.push((micros * 1000) / events);
  }
  perEntry.sort((a, b) => a - b);
  const median = perEntry[Math.floor(ROUNDS / 2)];
  process.stdout.write(`  ${label}: ${median.toFixed(0)} ns CPU per entry (median of ${ROUNDS}; range ${perEntry[0].toFixed(0)}–${perEntry[ROUNDS - 1].toFixed(0)})\n`);
  return median;
}

export async function benchDecode(): Promise<void> {
  addExtension({
    type: 0,
    Class: EventTime,
    unpack: (data: Uint8Array) => {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      return new EventTime(view.getUint32(0), view.getUint32(4));
    },
    // msgpackr requires a writer with every extension; only the reader is measured.
    write: (t: EventTime) => [t.seconds, t.nanoseconds],
  });
  const decoder = new Decoder({ extensionCodec: fluentExtensionCodec });
  const unpackr = new Unpackr({ mapsAsObjects: true, useRecords: false });
  for (const shape of ['metadata', 'classic'] as const) {
    const payloads = Array.from({ length: 10 }, (_, b) => payload(shape, b));
    // All must read the same events before their speed means anything.
    const ours = JSON.stringify(readPackedForwardMode(payloads[0], 0).events);
    if (ours !== JSON.stringify(readEntries(decoder.decodeMulti(payloads[0])).events)) throw new Error(`the source and @msgpack/msgpack disagree on the ${shape} shape`);
    if (ours !== JSON.stringify(readEntries(unpackr.unpackMultiple(payloads[0]) as unknown[]).events)) throw new Error(`the source and msgpackr disagree on the ${shape} shape`);
    process.stdout.write(`PackedForward decode, ${shape === 'metadata' ? '[[EventTime, {}], record]' : '[EventTime, record]'} entries, ${ENTRIES} per payload:\n`);
    measure('the Forward source: measured, then MeasuredMsgpackReader', payloads, forwardSource);
    measure('@msgpack/msgpack decodeMulti → readEntries (no measuring)', payloads, (p) => readEntries(decoder.decodeMulti(p)).events.length);
    measure('msgpackr unpackMultiple → readEntries', payloads, (p) => readEntries(unpackr.unpackMultiple(p) as unknown[]).events.length);
  }
}
