/**
 * Windower: keeps one open window per stream and closes it on its time box,
 * its line cap, idleness or shutdown; implements the sources' Intake.
 *
 * Guarantees: admission is all-or-nothing per batch; a record admitted is in
 * exactly one window that will be handed to `onWindow` (flushAll at shutdown
 * closes every open one). Memory is bounded: records in open windows plus
 * records handed on but not yet `release`d count against max_buffered_records
 * and max_buffered_bytes, and `admit` refuses (buffer_full) beyond them so
 * HTTP answers 429 and Forward stops reading its socket.
 * Event-time mode closes a window when a record of a later time box arrives
 * (late records join the open window rather than being dropped); arrival mode
 * closes on the wall clock. `tick()` drives the clock-based closes.
 * Every record is placed on its stream's one time axis first (clock.ts): its
 * `timestamp` becomes the placed time, within its window's bounds. Once its
 * stream key is read, its `fields` map is let go unless `keepFields` (Lookout's
 * analyzers read the normalized record only): a buffered record holds its
 * message, not every field it arrived with, so fewer bytes outlive each
 * young-generation collection.
 */
import type { Admission, Intake } from '../sources/intake.js';
import { NO_FIELDS, type LogRecord } from '../sources/record.js';
import { placeByArrival, StreamClocks, type ClockReport, type Displacement } from './clock.js';
import type { WindowsConfig } from './config.js';
import { Pressure } from './pressure.js';
import { keyReadsFields, streamKey } from './stream_key.js';
import type { CloseReason, Window } from './window.js';

interface OpenWindow {
  stream: string;
  service: string;
  host: string;
  boxStart: number;
  start: number;
  end: number;
  lastArrival: number;
  records: LogRecord[];
}

export interface WindowerDeps {
  onWindow: (window: Window) => void;
  now?: () => number;
  /**
   * Lookout's clock is the running maximum of the records' own times, advanced record by record (a file replay
   * has no other clock); `now` is then ignored.
   */
  clockFromRecords?: boolean;
  onBufferChange?: (records: number, bytes: number) => void;
  /** Skew estimates and displaced records (metrics, one log line per stream). */
  clockReport?: ClockReport;
  /** Keep each record's `fields` once its stream key is read, for an analyzer that reads them. */
  keepFields?: boolean;
}

interface Touched {
  clock: ReturnType<StreamClocks['observe']>;
  late: number;
  early: number;
  lagMs: number;
}

export class Windower implements Intake {
  private readonly open = new Map<string, OpenWindow>();
  private readonly now: () => number;
  private bufferedRecords = 0;
  private bufferedBytes = 0;
  /** Bytes each window handed on holds against the buffer, until `release`: its records may be gone by then. */
  private readonly handedOn = new WeakMap<Window, number>();
  private closing = false;
  private waiters: Array<() => void> = [];
  private readonly durationMs: number;
  private readonly toleranceMs: number;
  private readonly clocks: StreamClocks;
  private readonly pressure: Pressure;
  private watermark = 0;

  /** Records' `fields` are read only by a stream key on a raw path or an analyzer that asks for them; both are fixed at start. */
  readonly readsFields: boolean;

  constructor(
    private readonly cfg: WindowsConfig,
    private readonly deps: WindowerDeps,
  ) {
    this.now = deps.clockFromRecords ? () => this.watermark : (deps.now ?? Date.now);
    this.durationMs = cfg.duration_seconds * 1000;
    this.toleranceMs = cfg.clock_tolerance_seconds * 1000;
    this.clocks = new StreamClocks(cfg.max_open_windows, deps.clockReport);
    // Before any release was measured there is no rate to go by: ask for a short wait, retries are cheap.
    this.pressure = new Pressure(this.now, FIRST_RETRY_SECONDS);
    this.readsFields = deps.keepFields === true || keyReadsFields(cfg.key_fields);
  }

  /** The stream's current time on its window axis: Lookout's clock, or in event mode the stream's own clock (Lookout's minus its skew). */
  streamNow(stream: string): number {
    const now = this.now();
    return this.cfg.time === 'event' ? now - this.clocks.skew(stream) : now;
  }

  /** Latest axis time of the records the stream's open window holds (not yet analyzed), if it has one. */
  openUntil(stream: string): number | undefined {
    return this.open.get(stream)?.end;
  }

  get buffered(): { records: number; bytes: number } {
    return { records: this.bufferedRecords, bytes: this.bufferedBytes };
  }

  get openWindows(): number {
    return this.open.size;
  }

  get shuttingDown(): boolean {
    return this.closing;
  }

  /** The buffer is refusing senders (or is at its bounds): what /readyz reports, with the Retry-After it gives. */
  get pushingBack(): { retryAfterSeconds: number } | undefined {
    const atBound = this.bufferedRecords >= this.cfg.max_buffered_records || this.bufferedBytes >= this.cfg.max_buffered_bytes;
    if (!atBound && !this.pressure.pushingBack) return undefined;
    return { retryAfterSeconds: this.pressure.retryAfterSeconds(1, this.bufferedRecords + 1 - this.cfg.max_buffered_records, undefined) };
  }

  admit(records: LogRecord[], sender?: string): Admission {
    if (this.closing) return { ok: false, reason: 'shutting_down', retryAfterSeconds: 5 };
    if (records.length === 0) return { ok: true };
    const bytes = sizeOf(records);
    if (records.length > this.cfg.max_buffered_records) return tooLarge('max_buffered_records', this.cfg.max_buffered_records, records.length);
    if (bytes > this.cfg.max_buffered_bytes) return tooLarge('max_buffered_bytes', this.cfg.max_buffered_bytes, bytes);
    if (!this.hasRoomFor(records.length, bytes, sender)) {
      const retryAfterSeconds = this.pressure.retryAfterSeconds(records.length, this.excess(records.length, bytes), sender);
      this.pressure.refused(sender, retryAfterSeconds, records.length, bytes);
      return { ok: false, reason: 'buffer_full', retryAfterSeconds };
    }
    this.pressure.admitted(sender, records.length, bytes);
    const arrival = this.now();
    const touched = new Map<string, Touched>();
    for (const r of records) this.place(r, arrival, touched);
    this.reportClocks(touched);
    this.bufferedRecords += records.length;
    this.bufferedBytes += bytes;
    this.reportBuffer();
    // A sender held back for fairness may go now that this one got its share.
    this.wakeWaiters();
    return { ok: true };
  }

  async whenWritable(records?: readonly LogRecord[], sender?: string): Promise<void> {
    const count = records?.length ?? 1;
    const bytes = records ? sizeOf(records) : 0;
    // Every release and admission wakes all waiters; each checks again whether its own batch fits, and is its turn.
    while (!this.closing && !this.hasRoomFor(count, bytes, sender)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Called once a handed-on window is fully analyzed and emitted: its records leave the buffer. */
  release(window: Window): void {
    this.bufferedRecords -= window.lines;
    this.bufferedBytes -= this.handedOn.get(window) ?? 0;
    this.handedOn.delete(window);
    this.pressure.released(window.lines);
    this.reportBuffer();
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Records that must leave the buffer before this batch fits (bytes converted at the buffer's average record size). */
  private excess(records: number, bytes: number): number {
    const overRecords = this.bufferedRecords + records - this.cfg.max_buffered_records;
    const perRecord = this.bufferedRecords > 0 ? this.bufferedBytes / this.bufferedRecords : bytes / records;
    const overBytes = (this.bufferedBytes + bytes - this.cfg.max_buffered_bytes) / Math.max(1, perRecord);
    return Math.max(overRecords, overBytes, 0);
  }

  /**
   * Closes windows whose wall-clock time box has passed (arrival mode), or whose
   * stream has been idle (event mode, where only a later record would close them).
   */
  tick(): void {
    const now = this.now();
    const idleMs = this.cfg.idle_seconds * 1000;
    for (const w of [...this.open.values()]) {
      if (this.cfg.time === 'arrival') {
        if (now >= w.boxStart + this.durationMs) this.close(w, 'time');
      } else if (now - w.lastArrival >= idleMs) this.close(w, 'idle');
    }
  }

  /** Stops admission and closes every open window (reason `shutdown`). */
  flushAll(): void {
    this.closing = true;
    for (const w of [...this.open.values()]) this.close(w, 'shutdown');
    this.wakeWaiters();
  }


  /** A batch over the bounds on its own is refused as too large in `admit`, so every batch waited for fits eventually. */
  private fits(records: number, bytes: number): boolean {
    return this.bufferedRecords + records <= this.cfg.max_buffered_records && this.bufferedBytes + bytes <= this.cfg.max_buffered_bytes;
  }

  /** Fits, leaving the room reserved for senders whose turn comes first (see pressure.ts); an empty buffer serves anyone. */
  private hasRoomFor(records: number, bytes: number, sender: string | undefined): boolean {
    if (!this.fits(records, bytes)) return false;
    if (this.bufferedRecords === 0) return true;
    const held = this.pressure.reservedAgainst(sender, Math.floor(this.cfg.max_buffered_records / 2));
    return held.records === 0 || this.fits(records + held.records, bytes + held.bytes);
  }

  /**
   * Places one record on its stream's axis (see clock.ts): rewrites `r.timestamp` to the placed time,
   * which every signal then reads, and files the record into the stream's open window.
   */
  private place(r: LogRecord, arrival: number, touched: Map<string, Touched>): void {
    const key = streamKey(r, this.cfg.key_fields);
    if (!this.deps.keepFields) r.fields = NO_FIELDS;
    if (this.deps.clockFromRecords) arrival = this.watermark = Math.max(this.watermark, r.timestamp);
    const clock = this.clocks.observe(key, r.timestamp, arrival);
    const event = this.cfg.time === 'event';
    let t = r.timestamp;
    let displaced: Displacement | undefined;
    if (!event) {
      t = placeByArrival(r.timestamp, arrival, this.toleranceMs);
      // Moved later means it came late, earlier that it came early.
      displaced = t > r.timestamp ? 'late' : t < r.timestamp ? 'early' : undefined;
    }
    const boxed = event ? t : arrival;
    const box = Math.floor(boxed / this.durationMs) * this.durationMs;
    let w = this.open.get(key);
    if (w && event && box > w.boxStart) {
      this.close(w, 'time');
      w = undefined;
    }
    if (!w) {
      if (this.open.size >= this.cfg.max_open_windows) this.closeOldest();
      w = { stream: key, service: r.service, host: r.host, boxStart: box, start: box, end: Math.max(t, box), lastArrival: arrival, records: [] };
      this.open.set(key, w);
    }
    if (t < w.start) {
      // Event time: a record older than its window joins it at its start. Arrival: the placed time is already
      // within the tolerance of arrival, and the window reaches back to it.
      if (!event) w.start = t;
      else {
        if (t < w.boxStart) displaced = 'late';
        t = w.start;
      }
    }
    if (displaced) this.countDisplaced(touched, key, clock, displaced, arrival - r.timestamp);
    else if (!touched.has(key)) touched.set(key, { clock, late: 0, early: 0, lagMs: 0 });
    r.timestamp = t;
    w.records.push(r);
    w.lastArrival = arrival;
    const reach = event ? t : Math.max(t, arrival);
    if (reach > w.end) w.end = reach;
    if (w.records.length >= this.cfg.max_lines) {
      this.close(w, 'size');
      // The rest of the box continues in a fresh window that starts where this one stopped.
      const next: OpenWindow = { ...w, start: w.end, records: [] };
      this.open.set(key, next);
    }
  }

  private countDisplaced(touched: Map<string, Touched>, key: string, clock: Touched['clock'], direction: Displacement, lagMs: number): void {
    let entry = touched.get(key);
    if (!entry) touched.set(key, (entry = { clock, late: 0, early: 0, lagMs }));
    entry[direction]++;
    if (Math.abs(lagMs) > Math.abs(entry.lagMs)) entry.lagMs = lagMs;
  }

  private reportClocks(touched: Map<string, Touched>): void {
    for (const [stream, t] of touched) {
      this.clocks.published(stream, t.clock);
      if (t.late > 0) this.clocks.displaced(stream, t.clock, 'late', t.late, t.lagMs);
      if (t.early > 0) this.clocks.displaced(stream, t.clock, 'early', t.early, t.lagMs);
    }
  }

  private closeOldest(): void {
    let oldest: OpenWindow | undefined;
    for (const w of this.open.values()) if (!oldest || w.lastArrival < oldest.lastArrival) oldest = w;
    if (oldest) this.close(oldest, 'idle');
  }

  private close(w: OpenWindow, reason: CloseReason): void {
    if (this.open.get(w.stream) === w) this.open.delete(w.stream);
    if (w.records.length === 0) return;
    const window: Window = {
      stream: w.stream,
      service: w.service,
      host: w.host,
      start: w.start,
      end: Math.max(w.end, w.start),
      records: w.records,
      lines: w.records.length,
      closedBy: reason,
    };
    this.handedOn.set(window, sizeOf(w.records));
    this.deps.onWindow(window);
  }

  private reportBuffer(): void {
    this.deps.onBufferChange?.(this.bufferedRecords, this.bufferedBytes);
  }
}

const FIRST_RETRY_SECONDS = 2;

function tooLarge(limit: 'max_buffered_records' | 'max_buffered_bytes', value: number, actual: number): Admission {
  return { ok: false, reason: 'too_large', limit: `windows.${limit}`, limitValue: value, actual };
}

function sizeOf(records: readonly LogRecord[]): number {
  let bytes = 0;
  for (const r of records) bytes += r.size;
  return bytes;
}
