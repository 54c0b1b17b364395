import { describe, expect, it } from 'vitest';
import { packWindow, unpackWindow } from '../../../src/topology/shards/packed_window.js';
import type { Window } from '../../../src/windows/window.js';
import { rec } from '../../support/records.js';

describe('packed windows', () => {
  it('carry every record field analysis reads, in order, through two transferable buffers', () => {
    const base = Date.UTC(2026, 0, 5, 8);
    const records = [
      rec({ message: 'GET /orders/1 200', level: 'info', service: 'checkout', host: 'web-1', timestamp: base }, base + 5),
      rec({ message: 'Zahlung über 12 € fehlgeschlagen — 支付失败 🚨', level: 'error', service: 'checkout', host: 'web-1', timestamp: base + 1.5 }, base + 6),
      rec({ message: '', level: 'warn', service: 'checkout', host: 'web-1', timestamp: base + 2 }, base + 7),
      { ...rec({ message: 'tagged', service: 'checkout', host: 'web-1', timestamp: base + 3 }, base + 8), tag: 'app.checkout', source: 'forward' as const },
      { ...rec({ message: 'tagged again', service: 'checkout', host: 'web-1', timestamp: base + 4 }, base + 9), tag: 'app.checkout', source: 'file' as const },
    ];
    const window: Window = { stream: 'checkout|web-1', service: 'checkout', host: 'web-1', start: base, end: base + 4, records, lines: records.length, closedBy: 'size' };
    const { packed, transfer } = packWindow(window);
    expect(transfer).toEqual([packed.numbers, packed.text]);
    expect(packed.tags).toEqual(['app.checkout']);
    expect(packed.ascii).toBe(false);
    // What postMessage does with a transfer list: the buffers move, the rest is cloned.
    const moved = structuredClone(packed, { transfer });
    expect(packed.numbers.byteLength).toBe(0);
    const back = unpackWindow(moved);
    expect({ ...back, records: undefined }).toEqual({ ...window, records: undefined });
    expect(back.records.map((r) => [r.timestamp, r.observedAt, r.level, r.message, r.source, r.tag, r.service, r.host])).toEqual(
      records.map((r) => [r.timestamp, r.observedAt, r.level, r.message, r.source, r.tag, r.service, r.host]),
    );
    expect(back.records.every((r) => Object.keys(r.fields).length === 0)).toBe(true);
  });

  it('say when every message is ASCII, whose bytes then read back as Latin-1', () => {
    const base = Date.UTC(2026, 0, 5, 8);
    const messages = ['GET /orders/1 200', 'a\tb ~ \u007f end', ''];
    const records = messages.map((message, i) => rec({ message, service: 's', host: 'h', timestamp: base + i }, base + i));
    const { packed } = packWindow({ stream: 's|h', service: 's', host: 'h', start: base, end: base + 2, records, lines: 3, closedBy: 'size' });
    expect(packed.ascii).toBe(true);
    expect(unpackWindow(packed).records.map((r) => r.message)).toEqual(messages);
    // One character past ASCII anywhere, even U+0080 (one Latin-1 byte, two UTF-8 bytes), and the window is read as UTF-8.
    const wide = [...records, rec({ message: 'caf\u00e9 \u0080', service: 's', host: 'h', timestamp: base + 3 }, base + 3)];
    const packedWide = packWindow({ stream: 's|h', service: 's', host: 'h', start: base, end: base + 3, records: wide, lines: 4, closedBy: 'size' }).packed;
    expect(packedWide.ascii).toBe(false);
    expect(unpackWindow(packedWide).records.map((r) => r.message)).toEqual([...messages, 'caf\u00e9 \u0080']);
  });

  it('pack an empty window', () => {
    const window: Window = { stream: 's|h', service: 's', host: 'h', start: 0, end: 0, records: [], lines: 0, closedBy: 'shutdown' };
    expect(unpackWindow(packWindow(window).packed)).toEqual(window);
  });
});
