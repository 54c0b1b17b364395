import { describe, expect, it } from 'vitest';
import { WindowsConfigSchema, type WindowsConfig } from '../../src/windows/config.js';
import { Windower } from '../../src/windows/windower.js';
import type { Window } from '../../src/windows/window.js';
import { rec } from '../support/records.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

function setup(overrides: Partial<WindowsConfig> = {}) {
  const cfg = WindowsConfigSchema.parse(overrides);
  let now = T0;
  const windows: Window[] = [];
  const w = new Windower(cfg, { onWindow: (win) => windows.push(win), now: () => now });
  return { w, windows, advance: (ms: number) => (now += ms), at: () => now };
}

const line = (service: string, host: string, ts: number, message = 'hello') =>
  rec({ service, host, message, timestamp: new Date(ts).toISOString() }, ts);

describe('Windower', () => {
  it('keys windows by service and host and closes them on the arrival time box', () => {
    const { w, windows, advance } = setup({ duration_seconds: 300 });
    expect(w.admit([line('api', 'a', T0), line('api', 'b', T0), line('db', 'a', T0), line('api', 'a', T0)])).toEqual({ ok: true });
    expect(w.openWindows).toBe(3);
    advance(299_000);
    w.tick();
    expect(windows).toHaveLength(0);
    advance(1_000);
    w.tick();
    expect(windows.map((x) => [x.stream, x.records.length, x.closedBy]).sort()).toEqual([
      ['api|a', 2, 'time'],
      ['api|b', 1, 'time'],
      ['db|a', 1, 'time'],
    ]);
  });

  it('caps a window at max_lines and continues the stream in a new window', () => {
    const { w, windows } = setup({ max_lines: 50 });
    const batch = Array.from({ length: 120 }, (_, i) => line('api', 'a', T0 + i, `m${i}`));
    w.admit(batch);
    expect(windows.map((x) => x.records.length)).toEqual([50, 50]);
    expect(windows.every((x) => x.closedBy === 'size')).toBe(true);
    w.flushAll();
    expect(windows.map((x) => x.records.length)).toEqual([50, 50, 20]);
    expect(windows.flatMap((x) => x.records.map((r) => r.message))).toEqual(batch.map((r) => r.message));
  });

  it('in event-time mode, replays history as windows of its own timestamps', () => {
    const { w, windows } = setup({ time: 'event', duration_seconds: 60 });
    const day = Array.from({ length: 10 }, (_, i) => line('api', 'a', T0 + i * 30_000, `m${i}`));
    w.admit(day);
    expect(windows.map((x) => x.records.map((r) => r.message))).toEqual([
      ['m0', 'm1'],
      ['m2', 'm3'],
      ['m4', 'm5'],
      ['m6', 'm7'],
    ]);
    expect(windows[1].start).toBe(T0 + 60_000);
    // a late record joins the open window instead of being dropped
    w.admit([line('api', 'a', T0, 'late')]);
    w.flushAll();
    expect(windows.at(-1)!.records.map((r) => r.message)).toEqual(['m8', 'm9', 'late']);
  });

  it('closes idle streams in event-time mode on the wall clock', () => {
    const { w, windows, advance } = setup({ time: 'event', idle_seconds: 10 });
    w.admit([line('api', 'a', T0 - 3_600_000)]);
    advance(9_000);
    w.tick();
    expect(windows).toHaveLength(0);
    advance(1_000);
    w.tick();
    expect(windows.map((x) => x.closedBy)).toEqual(['idle']);
  });

  it('refuses a batch beyond the buffer bound, all or nothing, and wakes writers after release', async () => {
    const { w, windows } = setup({ max_buffered_records: 100, max_lines: 50 });
    expect(w.admit(Array.from({ length: 60 }, (_, i) => line('api', 'a', T0, `a${i}`))).ok).toBe(true);
    const refused = w.admit(Array.from({ length: 41 }, () => line('api', 'a', T0)));
    expect(refused).toMatchObject({ ok: false, reason: 'buffer_full' });
    expect(w.buffered.records).toBe(60);
    expect(w.admit(Array.from({ length: 40 }, () => line('api', 'b', T0))).ok).toBe(true);
    let woke = false;
    const writable = w.whenWritable().then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    expect(windows).toHaveLength(1);
    w.release(windows[0]);
    await writable;
    expect(woke).toBe(true);
    expect(w.buffered.records).toBe(50);
  });

  it('whenWritable(batch) waits until that batch fits, not merely until the buffer is below its bound', async () => {
    const { w, windows } = setup({ max_buffered_records: 100, max_lines: 50 });
    w.admit(Array.from({ length: 50 }, () => line('api', 'a', T0)));
    w.admit(Array.from({ length: 40 }, () => line('db', 'a', T0)));
    expect(windows).toHaveLength(1);
    expect(w.buffered.records).toBe(90);
    const batch = Array.from({ length: 30 }, () => line('api', 'a', T0));
    expect(w.admit(batch)).toMatchObject({ ok: false, reason: 'buffer_full' });
    let woke = false;
    const writable = w.whenWritable(batch).then(() => (woke = true));
    await new Promise((resolve) => setImmediate(resolve));
    // 90 of 100 is below the bound, but 30 more would not fit: keep waiting
    expect(woke).toBe(false);
    w.release(windows[0]);
    await writable;
    expect(woke).toBe(true);
    expect(w.admit(batch).ok).toBe(true);
  });

  it('refuses a batch that could never fit as too large, even into an empty buffer, instead of asking for retries', () => {
    const { w } = setup({ max_buffered_records: 100, max_lines: 1000 });
    expect(w.admit(Array.from({ length: 150 }, () => line('api', 'a', T0)))).toEqual({
      ok: false,
      reason: 'too_large',
      limit: 'windows.max_buffered_records',
      limitValue: 100,
      actual: 150,
    });
    expect(w.buffered.records).toBe(0);
    expect(w.admit(Array.from({ length: 100 }, () => line('api', 'a', T0))).ok).toBe(true);
  });

  it('shares freed room: a sender that took more yields to one still behind, and Retry-After follows the drain rate', () => {
    const { w, windows, advance } = setup({ max_lines: 100, max_buffered_records: 400 });
    const batch = () => Array.from({ length: 100 }, () => line('api', 'a', T0));
    for (let i = 0; i < 4; i++) expect(w.admit(batch(), 'forward').ok).toBe(true);
    const first = w.admit(batch(), 'http');
    expect(first).toMatchObject({ ok: false, reason: 'buffer_full' });
    expect(w.pushingBack).toBeDefined();
    expect(w.admit(batch(), 'forward').ok).toBe(false);
    const order: string[] = [];
    for (let round = 0; round < 6; round++) {
      advance(100);
      w.release(windows.shift()!);
      // the Forward sender asks first every time (it is woken the moment room frees)
      if (w.admit(batch(), 'forward').ok) order.push('forward');
      if (w.admit(batch(), 'http').ok) order.push('http');
    }
    expect(order.filter((s) => s === 'http').length).toBeGreaterThanOrEqual(3);
    // 100 records freed every 100 ms: a batch one window over the bound waits about a second, not a fixed 15 s
    const refused = w.admit(batch(), 'other');
    expect(refused).toMatchObject({ ok: false, reason: 'buffer_full' });
    expect(refused.ok === false && refused.reason === 'buffer_full' && refused.retryAfterSeconds).toBeLessThanOrEqual(2);
  });

  it('refuses with shutting_down after flushAll and hands every open window on', () => {
    const { w, windows } = setup();
    w.admit([line('api', 'a', T0), line('db', 'b', T0)]);
    w.flushAll();
    expect(windows.map((x) => x.closedBy)).toEqual(['shutdown', 'shutdown']);
    expect(w.admit([line('api', 'a', T0)])).toMatchObject({ ok: false, reason: 'shutting_down' });
  });

  it('bounds open streams by closing the least recently written one', () => {
    const { w, windows, advance } = setup({ max_open_windows: 2 });
    w.admit([line('a', 'h', T0)]);
    advance(1);
    w.admit([line('b', 'h', T0)]);
    advance(1);
    w.admit([line('c', 'h', T0)]);
    expect(windows.map((x) => x.stream)).toEqual(['a|h']);
    expect(w.openWindows).toBe(2);
  });

  it('arrival mode: places a record at its own time within the tolerance, else at the nearest edge, and counts it', () => {
    const reports: Array<[string, string, number, boolean]> = [];
    const cfg = WindowsConfigSchema.parse({ clock_tolerance_seconds: 60 });
    const windows: Window[] = [];
    const w = new Windower(cfg, {
      onWindow: (win) => windows.push(win),
      now: () => T0,
      clockReport: { onDisplaced: (stream, direction, count, { first }) => reports.push([stream, direction, count, first]) },
    });
    const hours = 3_600_000;
    w.admit([line('api', 'a', T0 - 30_000, 'within'), line('api', 'a', T0 - 2 * hours, 'late'), line('api', 'a', T0 + 5 * hours, 'early')]);
    w.admit([line('api', 'a', T0 - 5 * hours, 'late again')]);
    w.flushAll();
    expect(windows[0].records.map((r) => [r.message, r.timestamp - T0])).toEqual([
      ['within', -30_000],
      ['late', -60_000],
      ['early', 60_000],
      ['late again', -60_000],
    ]);
    expect(windows[0].start).toBe(T0 - 60_000);
    expect(windows[0].end).toBe(T0 + 60_000);
    // counted per batch, and the first report of the stream says so (it is logged once)
    expect(reports).toEqual([
      ['api|a', 'late', 1, true],
      ['api|a', 'early', 1, false],
      ['api|a', 'late', 1, false],
    ]);
  });

  it('event mode: a record older than its stream\'s open window joins it at the window start, counted late', () => {
    const reports: string[] = [];
    const cfg = WindowsConfigSchema.parse({ time: 'event', duration_seconds: 60 });
    const windows: Window[] = [];
    const w = new Windower(cfg, { onWindow: (win) => windows.push(win), now: () => T0, clockReport: { onDisplaced: (_s, direction) => reports.push(direction) } });
    w.admit([line('api', 'a', T0 + 120_000, 'open'), line('api', 'a', T0, 'old')]);
    w.flushAll();
    expect(windows[0].records.map((r) => [r.message, r.timestamp])).toEqual([
      ['open', T0 + 120_000],
      ['old', T0 + 120_000],
    ]);
    expect(reports).toEqual(['late']);
  });

  it('event mode: each stream\'s clock is Lookout\'s minus the stream\'s skew, so a host hours behind is not quiet', () => {
    const cfg = WindowsConfigSchema.parse({ time: 'event' });
    const w = new Windower(cfg, { onWindow: () => {}, now: () => T0 });
    w.admit([line('api', 'behind', T0 - 5 * 3_600_000), line('api', 'ok', T0 - 1000)]);
    expect(w.streamNow('api|behind')).toBe(T0 - 5 * 3_600_000);
    expect(w.streamNow('api|ok')).toBe(T0 - 1000);
    expect(w.openUntil('api|ok')).toBe(T0 - 1000);
    expect(w.openUntil('api|none')).toBeUndefined();
  });

  it('keys by any configured field path', () => {
    const { w } = setup({ key_fields: ['kubernetes.pod_namespace'] });
    w.admit([
      rec({ message: 'x', kubernetes: { pod_namespace: 'prod' } }),
      rec({ message: 'y', kubernetes: { pod_namespace: 'prod' } }),
      rec({ message: 'z', kubernetes: { pod_namespace: 'dev' } }),
    ]);
    expect(w.openWindows).toBe(2);
  });

  it('lets a record\'s field map go once its stream key is read, unless keepFields', () => {
    for (const keepFields of [false, true]) {
      const windows: Window[] = [];
      const w = new Windower(WindowsConfigSchema.parse({ key_fields: ['kubernetes.pod_namespace'] }), { onWindow: (win) => windows.push(win), now: () => T0, keepFields });
      const r = rec({ message: 'GET /health', kubernetes: { pod_namespace: 'prod' }, trace: 'abc' });
      w.admit([r]);
      w.flushAll();
      expect(windows[0]).toMatchObject({ stream: 'prod', lines: 1 });
      expect(windows[0].records[0].message).toBe('GET /health');
      expect(windows[0].records[0].fields).toEqual(keepFields ? { kubernetes: { pod_namespace: 'prod' }, trace: 'abc' } : {});
    }
  });

  it('tells sources it reads no raw fields only when neither its stream key nor its analyzer does', () => {
    const reads = (keyFields: string[], keepFields: boolean) =>
      new Windower(WindowsConfigSchema.parse({ key_fields: keyFields }), { onWindow: () => undefined, now: () => T0, keepFields }).readsFields;
    expect(reads(['service', 'host'], false)).toBe(false);
    expect(reads(['service', 'tag'], false)).toBe(false);
    expect(reads(['service', 'host'], true)).toBe(true);
    expect(reads(['kubernetes.pod_namespace'], false)).toBe(true);
  });
});
