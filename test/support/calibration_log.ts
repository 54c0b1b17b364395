/**
 * A generated Java service log in log4j shape (`2024-05-01 12:00:00,123 INFO [main] com.shop.Checkout: …`)
 * for the analyze report tests: steady traffic with a daily ramp, then
 * incidents the detector must find — a burst of connection-pool errors, an
 * out-of-memory error and a new ERROR shape. Times are relative to the
 * `end` the caller passes (build it from now), never fixed dates. Seeded, so
 * the same arguments give the same bytes.
 */
import { Random } from '../../examples/demo/random.js';

export interface CalibrationLog {
  lines: string[];
  /** Lines the incidents wrote, so tests can look for them in evidence. */
  incidents: { pool: string; oom: string; novel: string };
}

function stamp(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace('.', ',').slice(0, 23);
}

export function calibrationLog(opts: { end: number; hours: number; stepSeconds: number; seed?: number }): CalibrationLog {
  const rnd = new Random(opts.seed ?? 7);
  const start = opts.end - opts.hours * 3_600_000;
  const lines: string[] = [];
  const pool = 'Connection pool exhausted: 50/50 connections in use, waited 5000ms for a connection to db-orders';
  const oom = 'java.lang.OutOfMemoryError: Java heap space while building invoice batch';
  const novel = 'Ledger reconciliation aborted: checksum mismatch on shard 7';
  const poolAt = start + opts.hours * 0.7 * 3_600_000;
  const oomAt = start + opts.hours * 0.85 * 3_600_000;
  const novelAt = start + opts.hours * 0.6 * 3_600_000;
  for (let t = start; t < opts.end; t += opts.stepSeconds * 1000) {
    const ms = t + rnd.int(0, 999);
    lines.push(`${stamp(ms)} INFO [http-nio-8080-exec-${rnd.int(1, 8)}] com.shop.Checkout: order ${rnd.int(10000, 99999)} placed in ${rnd.int(20, 240)}ms`);
    if (rnd.chance(0.3)) lines.push(`${stamp(ms + 5)} INFO [scheduler-1] com.shop.Inventory: stock sync finished, ${rnd.int(100, 400)} items updated`);
    if (rnd.chance(0.02)) lines.push(`${stamp(ms + 9)} WARN [http-nio-8080-exec-${rnd.int(1, 8)}] com.shop.Payment: payment provider slow: ${rnd.int(900, 2000)}ms`);
    if (t >= poolAt && t < poolAt + 4 * 60_000) {
      for (let k = 0; k < 8; k++) lines.push(`${stamp(ms + 20 + k)} ERROR [http-nio-8080-exec-${k + 1}] com.shop.db.Pool: ${pool}`);
    }
    if (t >= oomAt && t < oomAt + opts.stepSeconds * 1000) {
      lines.push(`${stamp(ms + 30)} ERROR [invoice-worker] com.shop.Invoices: ${oom}`);
      lines.push('\tat com.shop.Invoices.build(Invoices.java:120)');
    }
    if (t >= novelAt && t < novelAt + opts.stepSeconds * 1000) {
      lines.push(`${stamp(ms + 40)} ERROR [ledger] com.shop.Ledger: ${novel}`);
    }
  }
  return { lines, incidents: { pool, oom, novel } };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clfStamp(t: number): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** An nginx combined access log over the same span, with a burst of 502s at 80 % of it. */
export function accessLog(opts: { end: number; hours: number; stepSeconds: number; seed?: number }): { lines: string[]; burst: string } {
  const rnd = new Random(opts.seed ?? 11);
  const start = opts.end - opts.hours * 3_600_000;
  const burstAt = start + opts.hours * 0.8 * 3_600_000;
  const burst = '"POST /api/checkout HTTP/1.1" 502 157 "https://shop.example/cart" "Mozilla/5.0"';
  const lines: string[] = [];
  for (let t = start; t < opts.end; t += opts.stepSeconds * 1000) {
    const ip = `192.0.2.${rnd.int(1, 254)}`;
    lines.push(`${ip} - - [${clfStamp(t)}] "GET /products/${rnd.int(1, 400)} HTTP/1.1" 200 ${rnd.int(900, 9000)} "-" "Mozilla/5.0"`);
    if (t >= burstAt && t < burstAt + 3 * 60_000) for (let k = 0; k < 12; k++) lines.push(`${ip} - - [${clfStamp(t + k)}] ${burst}`);
  }
  return { lines, burst };
}
