/**
 * The demo scenario: a simulated day of four services on five hosts, as
 * Vector's `file` source would read their log files, with labelled incidents.
 *
 * Services: `checkout` (web API, web-1 and web-2), `payments` (pay-1, a
 * Postgres connection pool of 20), `auth` (auth-1, logins and sessions) and
 * `inventory` (inv-1, stock API and sync jobs). Traffic follows a diurnal
 * curve (quiet night, midday and evening peaks) with natural variety: ids,
 * log-normal latencies, users, IPs, declined cards, password typos and benign
 * WARN lines (slow upstream calls retried, PSP retries, cold-cache slow queries).
 *
 * Two more streams: `reports` (batch-1: an export job bursting every five
 * minutes and a 40-line sales report every hour) and `syslog` (web-2: cron,
 * sshd, systemd and a deploy user's sudo commands).
 *
 * Quiet traps, never labelled, that a detector must not alarm on: the
 * diurnal curve (traffic ~8x higher at midday than at night), the periodic
 * export bursts and hourly report, a user mistyping a password three times in
 * a row before logging in, and a deploy that adds a new INFO line for good.
 *
 * Injected incidents, whose labels are the ground truth for scoring:
 *  - brute_force: 6–10 failed logins for one user from one IP over an hour,
 *    at most two per five minutes;
 *  - credential_stuffing: 30 failed logins for many different, mostly
 *    non-existent users from two outside IPs over two hours, at most two per
 *    five minutes;
 *  - latency_drift: payments' authorisation latency climbs from ~80 ms to
 *    ~900 ms over 45 minutes, no error and no new line shape;
 *  - consumer_lag: the order-events consumer's `lag_ms` and `queue_depth`
 *    climb tenfold over half an hour, nothing else changes;
 *  - privilege_escalation: one `sudo: www-data : command not allowed` line;
 *  - pool_exhaustion: a settlement batch locks the ledger, payments' pool runs
 *    dry, and checkout's calls to payments time out (a cascade);
 *  - latency_creep: inventory's stock queries slow down over an hour until
 *    statement timeouts appear, then an index rebuild fixes it;
 *  - config_change: checkout on web-1 reloads its config and a never-seen
 *    promo-engine error follows on every checkout until a rollback.
 *
 * Events have Vector's `file` source shape in the legacy namespace
 * (/work/shared/docs/wire-formats.md §1.8): `file`, `host`, `message`,
 * `source_type: "file"`, `timestamp` (RFC 3339, 0/3/6/9 fraction digits),
 * plus `service`, as a VRL remap `.service = parse_regex!(.file, r'/var/log/(?P<s>[^/]+)/').s`
 * would add it. Deterministic: a seeded PRNG (./random.ts), no clock reads.
 */
import { Random } from './random.js';

export const INCIDENT_KINDS = [
  'brute_force', 'credential_stuffing', 'pool_exhaustion', 'latency_creep', 'latency_drift', 'consumer_lag', 'config_change', 'privilege_escalation',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface StreamRef {
  service: string;
  /** Absent: every host of the service. */
  host?: string;
}

export interface IncidentLabel<K extends string = IncidentKind> {
  id: string;
  kind: K;
  service: string;
  host?: string;
  /** Other streams the incident shows in (a cascade's downstream victims). */
  also?: StreamRef[];
  /** First and last line the incident caused, RFC 3339. */
  start: string;
  end: string;
  description: string;
}

/** One event as Vector's `file` source emits it, plus the remapped `service`. */
export interface VectorFileEvent {
  file: string;
  host: string;
  message: string;
  service: string;
  source_type: 'file';
  timestamp: string;
}

export interface IncidentPlan {
  kind: IncidentKind;
  /** Hours after the scenario start. */
  atHours: number;
}

export interface ScenarioOptions {
  seed?: number;
  /** RFC 3339 start; midnight UTC by default. */
  start?: string;
  hours?: number;
  /** Traffic multiplier (1 = about 50k lines a day). */
  scale?: number;
  incidents?: IncidentPlan[];
  /** Hours after the start at which a deploy adds a new INFO line to web-2's syslog (a trap); 10.2 by default. */
  deployAtHours?: number;
}

export interface Scenario<K extends string = IncidentKind> {
  seed: number;
  start: string;
  end: string;
  events: VectorFileEvent[];
  incidents: IncidentLabel<K>[];
}

export const DEFAULT_SEED = 20261123;
export const DEFAULT_START = '2026-11-23T00:00:00Z';

/** A Monday: attacks at night, the cascade at lunch, creep in the afternoon, a bad config in the evening. */
export const DAY_INCIDENTS: IncidentPlan[] = [
  { kind: 'credential_stuffing', atHours: 1.5 },
  { kind: 'brute_force', atHours: 4.1 },
  { kind: 'latency_drift', atHours: 8.4 },
  { kind: 'pool_exhaustion', atHours: 11.6 },
  { kind: 'consumer_lag', atHours: 13.7 },
  { kind: 'latency_creep', atHours: 16 },
  { kind: 'config_change', atHours: 19.35 },
  { kind: 'privilege_escalation', atHours: 22.6 },
];

/**
 * The day's incidents with their times moved by up to ±40 minutes per seed, so several seeds are several
 * different days (same kinds, same order, never overlapping on one stream).
 */
export function dayIncidents(seed: number): IncidentPlan[] {
  const rng = new Random(seed ^ 0x5bd1e995);
  return DAY_INCIDENTS.map((p) => ({ kind: p.kind, atHours: p.atHours + (rng.next() - 0.5) * 1.3 }));
}

const MIN = 60_000;
const HOUR = 60 * MIN;

interface Line {
  /** Epoch ms, integer. */
  ms: number;
  service: string;
  host: string;
  message: string;
}

/** Traffic multiplier by UTC hour of day: 0.12 at night, 1 at the midday peak, 0.8 in the evening. */
export function diurnal(t: number): number {
  const h = (t % (24 * HOUR)) / HOUR;
  const midday = Math.exp(-(((h - 12) / 3.2) ** 2));
  const evening = 0.8 * Math.exp(-(((h - 20) / 2) ** 2));
  return 0.12 + 0.88 * Math.max(midday, evening);
}

const FIRST_NAMES = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy',
  'rupert', 'sybil', 'trent', 'victor', 'walter', 'yasmin', 'zoe', 'liam', 'emma', 'noah', 'mia', 'lucas', 'lea', 'omar',
];
const WAREHOUSES = ['ams-1', 'ams-2', 'fra-1', 'dub-1'];
const CATEGORIES = ['shoes', 'jackets', 'bags', 'hats', 'socks', 'shirts'];
const DECLINE_REASONS = ['insufficient_funds', 'do_not_honor', 'expired_card', 'card_velocity_exceeded'];

class Builder {
  readonly lines: Line[] = [];
  readonly rng: Random;
  readonly users: string[];

  constructor(seed: number) {
    this.rng = new Random(seed);
    this.users = [];
    for (let i = 0; i < 400; i++) this.users.push(`${this.rng.pick(FIRST_NAMES)}.${this.rng.int(1, 999)}`);
  }

  add(ms: number, service: string, host: string, message: string): void {
    this.lines.push({ ms: Math.round(ms), service, host, message });
  }

  /** Times of a Poisson process with rate `peakPerMin × curve(t)` in [from, to) (thinning). */
  arrivals(from: number, to: number, peakPerMin: number, curve: (t: number) => number = diurnal): number[] {
    const out: number[] = [];
    for (let t = from + this.rng.exponential(peakPerMin) * MIN; t < to; t += this.rng.exponential(peakPerMin) * MIN) {
      if (this.rng.chance(curve(t))) out.push(t);
    }
    return out;
  }

  ms(median: number, sigma: number): number {
    return Math.max(1, Math.round(this.rng.logNormal(median, sigma)));
  }

  ip(): string {
    return `${this.rng.pick(['81', '86', '92', '145', '178', '213'])}.${this.rng.int(1, 254)}.${this.rng.int(0, 254)}.${this.rng.int(1, 254)}`;
  }

  amount(): string {
    return (this.rng.int(5, 400) + this.rng.pick([0, 0.5, 0.9, 0.99])).toFixed(2);
  }
}

/** What the incidents do to normal traffic at a given moment. */
interface Effects {
  poolExhausted(t: number): boolean;
  /** Multiplier on payments' authorisation latency. */
  paymentsSlowdown(t: number): number;
  /** Multiplier on the order-events consumer's lag and queue depth. */
  consumerBacklog(t: number): number;
  /** Multiplier on inventory's query latency. */
  inventorySlowdown(t: number): number;
  /** True while web-N serves the broken promo config. */
  promoBroken(t: number, host: string): boolean;
}

interface Window {
  from: number;
  to: number;
}

const inside = (t: number, w: Window | undefined): boolean => w !== undefined && t >= w.from && t < w.to;

// ---- normal traffic, one function per service ----

function checkout(b: Builder, from: number, to: number, scale: number, fx: Effects): void {
  const { rng } = b;
  for (const host of ['web-1', 'web-2']) {
    for (let t = from + rng.int(0, 29_999); t < to; t += 30_000 + rng.int(-400, 400)) b.add(t, 'checkout', host, `INFO GET /healthz 200 ${rng.int(1, 3)}ms`);
    for (const t of b.arrivals(from, to, 14 * scale)) {
      const rid = rng.hex(12);
      const kind = rng.weighted([['product', 45], ['category', 12], ['cart', 20], ['add', 14], ['checkout', 9]] as const);
      if (kind === 'product') {
        const status = rng.chance(0.03) ? 404 : 200;
        b.add(t, 'checkout', host, `INFO GET /api/products/${rng.int(1000, 98_000)} ${status} ${b.ms(status === 404 ? 4 : 28, 0.5)}ms rid=${rid}`);
      } else if (kind === 'category') {
        b.add(t, 'checkout', host, `INFO GET /api/categories/${rng.pick(CATEGORIES)}/products 200 ${b.ms(45, 0.5)}ms rid=${rid}`);
      } else if (kind === 'cart') {
        b.add(t, 'checkout', host, `INFO GET /api/cart 200 ${b.ms(12, 0.4)}ms rid=${rid}`);
      } else if (kind === 'add') {
        b.add(t, 'checkout', host, `INFO POST /api/cart/items 201 ${b.ms(20, 0.4)}ms rid=${rid}`);
      } else {
        checkoutRequest(b, t, host, rid, fx);
      }
    }
  }
}

function checkoutRequest(b: Builder, t: number, host: string, rid: string, fx: Effects): void {
  const { rng } = b;
  const order = rng.int(4_100_000, 4_999_999);
  const user = rng.pick(b.users);
  if (fx.promoBroken(t, host)) {
    b.add(t + 8, 'checkout', host, `ERROR promo engine: cannot evaluate rule "BLACKFRIDAY25": unknown field "discount_pct" in rule set rev 43 rid=${rid}`);
    b.add(t + 11, 'checkout', host, `ERROR POST /api/checkout 500 ${b.ms(14, 0.3)}ms rid=${rid}`);
    return;
  }
  if (fx.poolExhausted(t) && rng.chance(0.75)) {
    const waited = 3000 + rng.int(1, 60);
    b.add(t + waited, 'checkout', host, `ERROR payments call failed after ${waited}ms: upstream request timeout (payments.internal:8443) rid=${rid}`);
    b.add(t + waited + 2, 'checkout', host, `ERROR POST /api/checkout 504 ${waited + rng.int(3, 9)}ms rid=${rid}`);
    return;
  }
  let latency = b.ms(180, 0.35);
  if (rng.chance(0.04)) {
    const slow = b.ms(1400, 0.2);
    b.add(t + slow, 'checkout', host, `WARN payments call slow (${slow}ms), retrying once rid=${rid}`);
    latency += slow;
  }
  if (rng.chance(0.04)) {
    b.add(t + latency - 2, 'checkout', host, `INFO order ${order} rejected for user ${user}: payment declined rid=${rid}`);
    b.add(t + latency, 'checkout', host, `INFO POST /api/checkout 402 ${latency}ms rid=${rid}`);
    return;
  }
  b.add(t + latency - 2, 'checkout', host, `INFO order ${order} placed by user ${user} total=${b.amount()} EUR items=${rng.int(1, 6)} rid=${rid}`);
  b.add(t + latency, 'checkout', host, `INFO POST /api/checkout 201 ${latency}ms rid=${rid}`);
}

function payments(b: Builder, from: number, to: number, scale: number, fx: Effects): void {
  const { rng } = b;
  const host = 'pay-1';
  for (let t = from + rng.int(0, 59_999); t < to; t += 60_000) {
    if (fx.poolExhausted(t)) {
      b.add(t, 'payments', host, `INFO db pool stats: active=20 idle=0 waiting=${rng.int(6, 31)} max=20`);
    } else {
      const active = Math.min(20, Math.max(0, Math.round(diurnal(t) * 6 + rng.int(-1, 2))));
      b.add(t, 'payments', host, `INFO db pool stats: active=${active} idle=${20 - active} waiting=0 max=20`);
    }
  }
  for (const t of b.arrivals(from, to, 3.5 * scale)) {
    const id = rng.int(55_000_000, 59_999_999);
    if (fx.poolExhausted(t) && rng.chance(0.8)) {
      b.add(t + 3000, 'payments', host, `ERROR could not acquire db connection within 3000ms: pool exhausted (20/20 in use, ${rng.int(6, 31)} waiting)`);
      b.add(t + 3001, 'payments', host, `ERROR payment ${id} failed: database unavailable, returning 503`);
      continue;
    }
    let latency = Math.round(b.ms(80, 0.35) * fx.paymentsSlowdown(t)) + (fx.poolExhausted(t) ? rng.int(1500, 2900) : 0);
    if (rng.chance(0.03)) {
      b.add(t + latency, 'payments', host, `WARN psp request retry 1/3 for payment ${id} after 502 Bad Gateway`);
      latency += b.ms(200, 0.3);
    }
    if (rng.chance(0.05)) {
      b.add(t + latency, 'payments', host, `INFO payment ${id} declined by psp: ${rng.pick(DECLINE_REASONS)}`);
      continue;
    }
    b.add(t + latency, 'payments', host, `INFO payment ${id} authorized amount=${b.amount()} EUR in ${latency}ms`);
    if (rng.chance(0.6)) {
      b.add(t + latency + b.ms(400, 0.5), 'payments', host, `INFO webhook payment.captured delivered to merchant m_${rng.int(100, 180)} in ${b.ms(90, 0.4)}ms`);
    }
  }
  for (const t of b.arrivals(from, to, 0.3 * scale)) {
    b.add(t, 'payments', host, `INFO refund ${rng.int(900_000, 999_999)} issued for payment ${rng.int(50_000_000, 55_000_000)} amount=${b.amount()} EUR`);
  }
}

function auth(b: Builder, from: number, to: number, scale: number): void {
  const { rng } = b;
  const host = 'auth-1';
  // Trap: now and then a user mistypes three times in a row, from their usual address, and then gets in.
  for (const t of b.arrivals(from, to, 0.004 * scale, () => 1)) {
    const user = rng.pick(b.users);
    const ip = b.ip();
    let at = t;
    for (let i = 0; i < 3; i++) {
      b.add(at, 'auth', host, `WARN login failed for user ${user} from ${ip}: invalid password`);
      at += rng.int(5_000, 25_000);
    }
    b.add(at, 'auth', host, `INFO login succeeded for user ${user} from ${ip} (method=password, mfa=totp)`);
  }
  for (const t of b.arrivals(from, to, 1 * scale)) {
    const user = rng.pick(b.users);
    const ip = b.ip();
    let at = t;
    // About one login in fifty starts with a mistyped password; the user gets it right a few seconds later.
    if (rng.chance(0.02)) {
      b.add(at, 'auth', host, `WARN login failed for user ${user} from ${ip}: invalid password`);
      at += rng.int(6_000, 40_000);
    }
    b.add(at, 'auth', host, `INFO login succeeded for user ${user} from ${ip} (method=password, mfa=totp)`);
  }
  for (const t of b.arrivals(from, to, 8 * scale)) {
    b.add(t, 'auth', host, `INFO token refreshed for user ${rng.pick(b.users)} session=${rng.hex(16)}`);
  }
  for (const t of b.arrivals(from, to, 0.8 * scale)) {
    b.add(t, 'auth', host, `INFO logout for user ${rng.pick(b.users)} session=${rng.hex(16)}`);
  }
}

function inventory(b: Builder, from: number, to: number, scale: number, fx: Effects): void {
  const { rng } = b;
  const host = 'inv-1';
  for (const t of b.arrivals(from, to, 8 * scale)) {
    const sku = `SKU-${rng.int(10_000, 19_999)}`;
    // One lookup in fifty misses the buffer cache and is slow even on a good day.
    const cold = rng.chance(0.02);
    const latency = Math.round(b.ms(cold ? 320 : 15, cold ? 0.3 : 0.5) * fx.inventorySlowdown(t));
    if (latency >= 2000) {
      b.add(t + 2000, 'inventory', host, `ERROR GET /v1/stock/${sku} 504 2000ms: canceling statement due to statement timeout`);
      continue;
    }
    if (latency >= 250) b.add(t + latency, 'inventory', host, `WARN slow query (${latency}ms): SELECT qty, reserved FROM stock WHERE sku = $1`);
    b.add(t + latency + 1, 'inventory', host, `INFO GET /v1/stock/${sku} 200 ${latency + 1}ms`);
  }
  for (const t of b.arrivals(from, to, 1.5 * scale)) {
    b.add(t, 'inventory', host, `INFO reserved ${rng.int(1, 4)} units of SKU-${rng.int(10_000, 19_999)} for order ${rng.int(4_100_000, 4_999_999)}`);
  }
  for (let t = from + rng.int(0, 119_999); t < to; t += 120_000) {
    const job = rng.int(880_000, 899_999);
    const took = b.ms(800, 0.3);
    const wh = rng.pick(WAREHOUSES);
    b.add(t, 'inventory', host, `INFO job ${job} sync_stock started warehouse=${wh}`);
    b.add(t + took, 'inventory', host, `INFO job ${job} sync_stock finished in ${took}ms, ${rng.int(40, 600)} items updated`);
  }
}

/** The order-events consumer (inventory's second stream): progress every 30 s with its lag and backlog. */
function consumer(b: Builder, from: number, to: number, fx: Effects): void {
  const { rng } = b;
  for (let t = from + rng.int(0, 29_999); t < to; t += 30_000 + rng.int(-300, 300)) {
    const k = fx.consumerBacklog(t);
    const lag = Math.round(b.ms(180, 0.35) * k);
    const depth = Math.max(0, Math.round(b.ms(12, 0.4) * k));
    b.add(t, 'orders-consumer', 'inv-1', `INFO consumer group=inventory topic=order-events partition=${rng.int(0, 5)} committed offset=${rng.int(1_000_000, 9_999_999)} lag_ms=${lag} queue_depth=${depth}`);
  }
}

/** Trap: an export job bursting every five minutes and a 40-line sales report at the top of every hour. */
function reports(b: Builder, from: number, to: number): void {
  const { rng } = b;
  const host = 'batch-1';
  for (let t = Math.ceil(from / (5 * MIN)) * 5 * MIN + 7_000; t < to; t += 5 * MIN) {
    const run = rng.int(10_000, 99_999);
    const parts = rng.int(15, 30);
    b.add(t, 'reports', host, `INFO export run ${run} started: ${parts} partitions`);
    for (let i = 0; i < parts; i++) b.add(t + 200 + i * 150, 'reports', host, `INFO export run ${run} partition ${i} wrote ${rng.int(100, 5000)} rows in ${b.ms(40, 0.3)}ms`);
    b.add(t + 200 + parts * 150 + 50, 'reports', host, `INFO export run ${run} finished in ${parts * 150 + 250}ms`);
  }
  const regions = ['nl', 'de', 'be', 'fr', 'ie', 'at', 'ch', 'dk'];
  for (let t = Math.ceil(from / HOUR) * HOUR + 30_000; t < to; t += HOUR) {
    b.add(t, 'reports', host, 'INFO hourly sales report: begin');
    for (let i = 0; i < 38; i++) {
      b.add(t + 100 + i * 20, 'reports', host, `INFO report region=${rng.pick(regions)} category=${rng.pick(CATEGORIES)} orders=${rng.int(0, 400)} revenue=${b.amount()} EUR`);
    }
    b.add(t + 900, 'reports', host, 'INFO hourly sales report: end');
  }
}

/** web-2's system log: cron, sshd and a deploy user's sudo; plus the deploy trap (a new INFO line for good). */
function syslog(b: Builder, from: number, to: number, deployAt: number): void {
  const { rng } = b;
  const host = 'web-2';
  for (let t = from + rng.int(0, 59_999); t < to; t += 60_000) {
    b.add(t, 'syslog', host, `CRON[${rng.int(2000, 60000)}]: (root) CMD (/usr/local/bin/healthcheck --quiet)`);
  }
  for (const t of b.arrivals(from, to, 0.15, () => 1)) {
    const pid = rng.int(2000, 60000);
    b.add(t, 'syslog', host, `sshd[${pid}]: Accepted publickey for deploy from 10.0.3.${rng.int(2, 40)} port ${rng.int(30000, 60000)} ssh2: ED25519 SHA256:${rng.hex(16)}`);
    b.add(t + 40, 'syslog', host, `systemd-logind[812]: New session ${rng.int(100, 9999)} of user deploy.`);
    b.add(t + 2_000, 'syslog', host, `sudo: deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl status checkout`);
    b.add(t + 60_000, 'syslog', host, `sshd[${pid}]: Disconnected from user deploy 10.0.3.${rng.int(2, 40)} port ${rng.int(30000, 60000)}`);
  }
  if (deployAt >= from && deployAt < to) {
    b.add(deployAt, 'syslog', host, 'INFO deploy: checkout 2.14.1 rolled out (commit 9f3c2ab), restarting');
    for (let t = deployAt + 30_000; t < to; t += 300_000 + rng.int(-5_000, 5_000)) {
      b.add(t, 'syslog', host, `INFO checkout[${rng.int(100, 999)}]: feature flag cache refreshed (${rng.int(20, 40)} flags)`);
    }
  }
}

// ---- incidents ----

interface Injected {
  label: IncidentLabel;
  effects: Partial<Effects>;
}

function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

/** Start and end are the first and last line the incident caused, read back from what it added. */
function labelFrom(b: Builder, before: number, base: Omit<IncidentLabel, 'start' | 'end'>, fallback: Window): IncidentLabel {
  let first = Infinity;
  let last = -Infinity;
  for (const l of b.lines.slice(before)) {
    first = Math.min(first, l.ms);
    last = Math.max(last, l.ms);
  }
  return { ...base, start: iso(Math.min(first, fallback.from)), end: iso(Math.max(last, fallback.to)) };
}

function bruteForce(b: Builder, at: number, n: number): Injected {
  const { rng } = b;
  const before = b.lines.length;
  const attempts = rng.int(6, 10);
  const ip = `185.220.101.${rng.int(2, 250)}`;
  const slot = HOUR / attempts;
  for (let i = 0; i < attempts; i++) {
    // One attempt per slot of six to ten minutes, jittered, so no five-minute box gets more than two.
    b.add(at + i * slot + rng.int(0, Math.floor(slot * 0.6)), 'auth', 'auth-1', `WARN login failed for user admin from ${ip}: invalid password`);
  }
  const label = labelFrom(
    b,
    before,
    {
      id: `inc-${n}-brute-force`,
      kind: 'brute_force',
      service: 'auth',
      host: 'auth-1',
      description: `${attempts} failed logins for user admin from ${ip} spread over an hour (low-and-slow password guessing)`,
    },
    { from: at, to: at },
  );
  return { label, effects: {} };
}

function poolExhaustion(b: Builder, at: number, n: number): Injected {
  const { rng } = b;
  const before = b.lines.length;
  const duration = rng.int(24, 32) * MIN;
  const batch = 20261100 + rng.int(1, 99);
  b.add(at, 'payments', 'pay-1', `INFO settlement batch ${batch} started (${rng.int(40_000, 60_000)} ledger entries)`);
  for (let t = at + 40_000; t < at + duration - 60_000; t += rng.int(20_000, 45_000)) {
    b.add(t, 'payments', 'pay-1', `WARN slow query (${(rng.int(60, 140) / 10).toFixed(1)}s): UPDATE ledger_entries SET settled = true WHERE batch_id = $1`);
  }
  b.add(at + duration, 'payments', 'pay-1', `INFO settlement batch ${batch} finished in ${Math.round(duration / 1000)}s`);
  const busy: Window = { from: at + 60_000, to: at + duration };
  const label = labelFrom(
    b,
    before,
    {
      id: `inc-${n}-pool-exhaustion`,
      kind: 'pool_exhaustion',
      service: 'payments',
      host: 'pay-1',
      also: [{ service: 'checkout' }],
      description: `a settlement batch holds ledger locks for ${Math.round(duration / MIN)} min: payments' db pool (20) is exhausted and checkout's payment calls time out`,
    },
    // Checkout's timeouts land up to 3 s after a request that started inside the busy stretch.
    { from: at, to: busy.to + 5_000 },
  );
  return { label, effects: { poolExhausted: (t) => inside(t, busy) } };
}

function latencyCreep(b: Builder, at: number, n: number): Injected {
  const { rng } = b;
  const creep = HOUR;
  const fixAt = at + creep + rng.int(8, 12) * MIN;
  const before = b.lines.length;
  b.add(fixAt, 'inventory', 'inv-1', `INFO maintenance: REINDEX INDEX stock_sku_idx completed in ${rng.int(30, 55)}s`);
  const slowdown = (t: number): number => {
    if (t < at || t >= fixAt) return 1;
    const p = Math.min(1, (t - at) / creep);
    // Quadratic creep: barely visible for half an hour, statement timeouts for the last quarter hour.
    return 1 + 100 * p * p;
  };
  const label = labelFrom(
    b,
    before,
    {
      id: `inc-${n}-latency-creep`,
      kind: 'latency_creep',
      service: 'inventory',
      host: 'inv-1',
      description: 'stock lookups slow down over an hour (index bloat) until statement timeouts, fixed by a REINDEX',
    },
    { from: at, to: fixAt },
  );
  return { label, effects: { inventorySlowdown: slowdown } };
}

function configChange(b: Builder, at: number, n: number): Injected {
  const { rng } = b;
  const before = b.lines.length;
  const rollbackAt = at + rng.int(30, 45) * MIN;
  b.add(at, 'checkout', 'web-1', 'INFO config reloaded from /etc/checkout/config.yaml (rev 43, changed: promo.rules)');
  b.add(rollbackAt, 'checkout', 'web-1', 'INFO config reloaded from /etc/checkout/config.yaml (rev 44, changed: promo.rules)');
  const broken: Window = { from: at + 1, to: rollbackAt };
  const label = labelFrom(
    b,
    before,
    {
      id: `inc-${n}-config-change`,
      kind: 'config_change',
      service: 'checkout',
      host: 'web-1',
      description: 'a config reload on web-1 ships a promo rule the engine cannot evaluate: every checkout there fails with a new error until the rollback',
    },
    broken,
  );
  return { label, effects: { promoBroken: (t, host) => host === 'web-1' && inside(t, broken) } };
}

function credentialStuffing(b: Builder, at: number, n: number): Injected {
  const { rng } = b;
  const before = b.lines.length;
  const ips = [`45.133.1.${rng.int(2, 250)}`, `193.32.162.${rng.int(2, 250)}`];
  const names = ['admin', 'test', 'guest', 'oracle', 'support', 'info', 'sales', 'backup', 'ftpuser', 'postgres', 'ubuntu', 'webmaster', 'office', 'demo', 'jenkins', 'git'];
  // 30 attempts over two hours: one slot of four minutes each, so no five-minute box holds more than two.
  const slot = (2 * HOUR) / 30;
  for (let i = 0; i < 30; i++) {
    const real = rng.chance(0.2);
    const user = real ? rng.pick(b.users) : `${rng.pick(names)}${rng.chance(0.5) ? rng.int(1, 99) : ''}`;
    const reason = real ? 'invalid password' : 'unknown user';
    b.add(at + i * slot + rng.int(0, Math.floor(slot * 0.5)), 'auth', 'auth-1', `WARN login failed for user ${user} from ${ips[i % 2]}: ${reason}`);
  }
  const label = labelFrom(
    b,
    before,
    {
      id: `inc-${n}-credential-stuffing`,
      kind: 'credential_stuffing',
      service: 'auth',
      host: 'auth-1',
      description: `30 failed logins for many (mostly non-existent) users from ${ips.join(' and ')} over two hours, at most two per five minutes`,
    },
    { from: at, to: at },
  );
  return { label, effects: {} };
}

/** A ramp up over `rise` ms to `peak` times, held for `hold` ms, then back to normal. */
function ramp(at: number, rise: number, hold: number, peak: number): (t: number) => number {
  return (t) => (t < at || t >= at + rise + hold ? 1 : 1 + (peak - 1) * Math.min(1, (t - at) / rise));
}

function latencyDrift(b: Builder, at: number, n: number): Injected {
  const hold = b.rng.int(10, 20) * MIN;
  const label: IncidentLabel = {
    id: `inc-${n}-latency-drift`,
    kind: 'latency_drift',
    service: 'payments',
    host: 'pay-1',
    start: iso(at),
    end: iso(at + 45 * MIN + hold),
    description: "payments' authorisation latency climbs from ~80 ms to ~900 ms over 45 minutes: no error line, no new line shape",
  };
  return { label, effects: { paymentsSlowdown: ramp(at, 45 * MIN, hold, 11) } };
}

function consumerLag(b: Builder, at: number, n: number): Injected {
  const hold = b.rng.int(10, 20) * MIN;
  const label: IncidentLabel = {
    id: `inc-${n}-consumer-lag`,
    kind: 'consumer_lag',
    service: 'orders-consumer',
    host: 'inv-1',
    start: iso(at),
    end: iso(at + 30 * MIN + hold),
    description: "the order-events consumer's lag_ms and queue_depth climb tenfold over half an hour; nothing else changes",
  };
  return { label, effects: { consumerBacklog: ramp(at, 30 * MIN, hold, 10) } };
}

function privilegeEscalation(b: Builder, at: number, n: number): Injected {
  b.add(at, 'syslog', 'web-2', 'sudo: www-data : command not allowed ; TTY=unknown ; PWD=/var/www/checkout ; USER=root ; COMMAND=/bin/bash -c id');
  const label: IncidentLabel = {
    id: `inc-${n}-privilege-escalation`,
    kind: 'privilege_escalation',
    service: 'syslog',
    host: 'web-2',
    start: iso(at),
    end: iso(at),
    description: 'one sudo attempt by the web server account to run a shell as root (a compromised web app)',
  };
  return { label, effects: {} };
}

const INJECTORS: Record<IncidentKind, (b: Builder, at: number, n: number) => Injected> = {
  brute_force: bruteForce,
  credential_stuffing: credentialStuffing,
  latency_drift: latencyDrift,
  consumer_lag: consumerLag,
  privilege_escalation: privilegeEscalation,
  pool_exhaustion: poolExhaustion,
  latency_creep: latencyCreep,
  config_change: configChange,
};

// ---- Vector's view of the lines ----

/** RFC 3339 UTC the way Vector (chrono AutoSi) prints it: the shortest of 0, 3, 6 or 9 fraction digits that is exact. */
export function formatVectorTimestamp(ms: number, subMsNanos: number): string {
  const whole = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  const nanos = (ms % 1000) * 1_000_000 + subMsNanos;
  if (nanos === 0) return `${whole}Z`;
  if (nanos % 1_000_000 === 0) return `${whole}.${String(nanos / 1_000_000).padStart(3, '0')}Z`;
  if (nanos % 1_000 === 0) return `${whole}.${String(nanos / 1_000).padStart(6, '0')}Z`;
  return `${whole}.${String(nanos).padStart(9, '0')}Z`;
}

export function generateScenario(opts: ScenarioOptions = {}): Scenario {
  const seed = opts.seed ?? DEFAULT_SEED;
  const start = Date.parse(opts.start ?? DEFAULT_START);
  const end = start + (opts.hours ?? 24) * HOUR;
  const scale = opts.scale ?? 1;
  const b = new Builder(seed);

  const injected = (opts.incidents ?? DAY_INCIDENTS).map((plan, i) => INJECTORS[plan.kind](b, start + plan.atHours * HOUR, i + 1));
  const fx: Effects = {
    poolExhausted: (t) => injected.some((x) => x.effects.poolExhausted?.(t) ?? false),
    paymentsSlowdown: (t) => injected.reduce((f, x) => f * (x.effects.paymentsSlowdown?.(t) ?? 1), 1),
    consumerBacklog: (t) => injected.reduce((f, x) => f * (x.effects.consumerBacklog?.(t) ?? 1), 1),
    inventorySlowdown: (t) => injected.reduce((f, x) => f * (x.effects.inventorySlowdown?.(t) ?? 1), 1),
    promoBroken: (t, host) => injected.some((x) => x.effects.promoBroken?.(t, host) ?? false),
  };
  checkout(b, start, end, scale, fx);
  payments(b, start, end, scale, fx);
  auth(b, start, end, scale);
  inventory(b, start, end, scale, fx);
  consumer(b, start, end, fx);
  reports(b, start, end);
  syslog(b, start, end, start + (opts.deployAtHours ?? 10.2) * HOUR);

  const lines = b.lines.filter((l) => l.ms >= start && l.ms < end);
  // Stable sort keeps each stream's lines in the order its process wrote them.
  lines.sort((x, y) => x.ms - y.ms);
  const events = lines.map((l): VectorFileEvent => {
    // Vector stamps the read time in nanoseconds; a few values land on whole micro- or milliseconds.
    const r = b.rng.next();
    const nanos = r < 0.85 ? b.rng.int(1, 999_999) : r < 0.95 ? b.rng.int(1, 999) * 1000 : 0;
    return {
      file: `/var/log/${l.service}/${l.service}.log`,
      host: l.host,
      message: l.message,
      service: l.service,
      source_type: 'file',
      timestamp: formatVectorTimestamp(l.ms, nanos),
    };
  });
  return { seed, start: iso(start), end: iso(end), events, incidents: injected.map((x) => x.label) };
}
