/**
 * SeverityBuffer: a bounded FIFO of anomaly records that, when full, drops the
 * oldest record of the lowest severity present (a low-severity backlog must
 * not push out a critical alert). One FIFO per severity plus a global sequence
 * number keeps `take` in arrival order across severities.
 */
import { SEVERITIES, type Severity } from '../../analysis/anomaly.js';
import type { AnomalyRecord } from '../record.js';

interface Entry {
  seq: number;
  record: AnomalyRecord;
}

class Fifo {
  private items: Entry[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(e: Entry): void {
    this.items.push(e);
  }
  peek(): Entry | undefined {
    return this.items[this.head];
  }
  shift(): Entry | undefined {
    const e = this.items[this.head];
    if (e === undefined) return undefined;
    this.head++;
    // Compact once the consumed prefix dominates, keeping shift O(1) amortised.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return e;
  }
}

export class SeverityBuffer {
  private readonly fifos = new Map<Severity, Fifo>(SEVERITIES.map((s) => [s, new Fifo()]));
  private seq = 0;
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** Appends records; returns the records dropped to stay within capacity. */
  push(records: AnomalyRecord[]): AnomalyRecord[] {
    const dropped: AnomalyRecord[] = [];
    for (const record of records) {
      this.fifos.get(record.anomaly.severity)!.push({ seq: this.seq++, record });
      this.count++;
      if (this.count > this.capacity) dropped.push(this.dropOne());
    }
    return dropped;
  }

  /** Removes up to `n` records in arrival order. */
  take(n: number): AnomalyRecord[] {
    const out: AnomalyRecord[] = [];
    while (out.length < n && this.count > 0) {
      let oldest: Fifo | undefined;
      for (const fifo of this.fifos.values()) {
        const head = fifo.peek();
        if (head && (!oldest || head.seq < oldest.peek()!.seq)) oldest = fifo;
      }
      out.push(oldest!.shift()!.record);
      this.count--;
    }
    return out;
  }

  /** Empties the buffer, returning what it held. */
  drain(): AnomalyRecord[] {
    return this.take(this.count);
  }

  private dropOne(): AnomalyRecord {
    for (const severity of SEVERITIES) {
      const fifo = this.fifos.get(severity)!;
      if (fifo.size > 0) {
        this.count--;
        return fifo.shift()!.record;
      }
    }
    throw new Error('SeverityBuffer.dropOne on an empty buffer');
  }
}
