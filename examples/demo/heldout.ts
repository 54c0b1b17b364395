/**
 * A second scenario family, written from the detector issue's text alone and
 * sharing none of ./scenario.ts's services, phrasing or rates, so the quality
 * bench can tell a detector that generalises from one tuned to its own
 * generator. A simulated day of a different shop:
 *
 * - `sshd` on bastion-1: operators' publickey logins, internet scanners'
 *   scattered single attempts (`Invalid user X from IP port N`), colleagues
 *   mistyping a password 2–3 times before getting in;
 * - `accounts` on app-1 (logfmt: `login failed user=bob ip=… reason=bad_password`)
 *   and `identity` on app-2 (JSON lines: `{"level":"warn","event":"login_failed",…}`),
 *   both with users' typos (2–3 failures, then a success);
 * - four APIs whose latency is written four ways: `gateway` (`took 84ms`),
 *   `pricing` (`duration=0.084s`), `search` (`latency_ms=84`), `storefront`
 *   (`Completed 200 OK in 84 ms`);
 * - `ledger-consumer` (`lag_ms=…, queue_depth=…`), an `edge-agent` heartbeat
 *   every 15 to 60 s (per seed), `etl` (a burst every 5 minutes, a 40-line hourly report, a
 *   15-minute cron job), `sudo` in `authlog` on app-1, `diskwatch` on db-2
 *   (usage every minute, a WARN now and then for /var/log before logrotate),
 *   `orders` (a JVM service on jvm-1) and TLS certificate checks in the gateway.
 *
 * Traffic is 5x higher at 14:00 than at 04:00. Quiet traps (never labelled):
 * that curve, the periodic jobs, typos, scanners' background noise, and a
 * storefront deploy at 10:40 after which new INFO lines appear for good.
 *
 * Incidents (labels are the ground truth): credential stuffing over sshd (30
 * failures over 2 h from 2 outside IPs for mostly non-existent users, at most 2
 * per 5 minutes), a slow brute force on one account from one outside IP (6
 * failures over an hour, on accounts or identity), two latency drifts (80 →
 * 900 ms over 45 minutes, two of the four formats), consumer lag and queue
 * depth climbing 10x, the heartbeat stopping for 25 minutes, one
 * `sudo: www-data : command not allowed` line, disk usage climbing to 99 %,
 * certificate-expiry warnings, and an OutOfMemoryError that also raises the
 * error rate. Times move per seed. Deterministic (./random.ts).
 */
import { Random } from './random.js';
import { formatVectorTimestamp, type IncidentLabel, type Scenario, type VectorFileEvent } from './scenario.js';

export const HELDOUT_KINDS = [
  'credential_stuffing', 'brute_force', 'latency_drift', 'consumer_lag', 'heartbeat_silence', 'privilege_escalation',
  'disk_full', 'certificate_expiry', 'out_of_memory',
] as const;
export type HeldOutKind = (typeof HELDOUT_KINDS)[number];

export const HELDOUT_SEEDS = [101, 202, 303, 404, 505];
export const HELDOUT_START = '2026-03-17T00:00:00Z';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** 0.2 at 04:00, 1 at 14:00: five times more traffic in the afternoon than before dawn. */
function daily(t: number): number {
  const h = (t % (24 * HOUR)) / HOUR;
  const d = Math.min(Math.abs(h - 14), 24 - Math.abs(h - 14));
  return 0.2 + 0.8 * Math.exp(-((d / 4.2) ** 2));
}

const USERS = ['amara', 'bjorn', 'chen', 'dilan', 'eszter', 'farah', 'goran', 'hana', 'ines', 'jonas', 'kofi', 'lena', 'mateo', 'nadia', 'oskar', 'priya', 'quinn', 'rosa', 'sven', 'tariq'];
const SCAN_NAMES = ['admin', 'root', 'test', 'user', 'oracle', 'postgres', 'ubuntu', 'pi', 'git', 'ftp', 'deploy', 'www', 'mysql', 'hadoop', 'nagios', 'ansible', 'elastic', 'minecraft', 'tomcat', 'guest'];

interface Line {
  ms: number;
  service: string;
  host: string;
  message: string;
}

class Day {
  readonly lines: Line[] = [];
  readonly rng: Random;
  readonly customers: string[] = [];

  constructor(seed: number, readonly from: number, readonly to: number) {
    this.rng = new Random(seed * 7919 + 17);
    for (let i = 0; i < 300; i++) this.customers.push(`${this.rng.pick(USERS)}${this.rng.int(10, 9999)}`);
  }

  add(ms: number, service: string, host: string, message: string): void {
    if (ms >= this.from && ms < this.to) this.lines.push({ ms: Math.round(ms), service, host, message });
  }

  /** Poisson arrivals at `perMin × curve(t)`. */
  arrivals(perMin: number, curve: (t: number) => number = daily, from = this.from, to = this.to): number[] {
    const out: number[] = [];
    for (let t = from + this.rng.exponential(perMin) * MIN; t < to; t += this.rng.exponential(perMin) * MIN) {
      if (this.rng.chance(curve(t))) out.push(t);
    }
    return out;
  }

  lat(median: number, sigma = 0.35): number {
    return Math.max(1, this.rng.logNormal(median, sigma));
  }

  /** A residential / mobile address (documentation and random public ranges). */
  publicIp(): string {
    return `${this.rng.pick(['77', '84', '109', '151', '176', '188', '212'])}.${this.rng.int(1, 254)}.${this.rng.int(0, 254)}.${this.rng.int(1, 254)}`;
  }

  port(): number {
    return this.rng.int(32768, 60999);
  }
}

interface Effects {
  /** Latency multiplier per API service. */
  slow: Map<string, (t: number) => number>;
  backlog: (t: number) => number;
  heartbeatDown: (t: number) => boolean;
  diskData: (t: number) => number | undefined;
  certWarn: (t: number) => boolean;
  oom: (t: number) => boolean;
}

// ---- normal traffic ----

function sshd(d: Day): void {
  const { rng } = d;
  const h = 'bastion-1';
  for (const t of d.arrivals(0.4)) {
    const pid = rng.int(1000, 65000);
    const ip = `10.40.${rng.int(0, 3)}.${rng.int(2, 250)}`;
    const op = rng.pick(['ops', 'deploy', 'backup', 'monitor']);
    d.add(t, 'sshd', h, `sshd[${pid}]: Accepted publickey for ${op} from ${ip} port ${d.port()} ssh2: ED25519 SHA256:${rng.hex(20)}`);
    d.add(t + 30, 'sshd', h, `sshd[${pid}]: pam_unix(sshd:session): session opened for user ${op}(uid=${rng.int(1001, 1010)}) by (uid=0)`);
    const end = t + rng.int(20_000, 900_000);
    d.add(end, 'sshd', h, `sshd[${pid}]: Received disconnect from ${ip} port ${d.port()}:11: disconnected by user`);
    d.add(end + 20, 'sshd', h, `sshd[${pid}]: pam_unix(sshd:session): session closed for user ${op}`);
  }
  // Internet background: scanners trying one or two names each, a few an hour, day and night.
  for (const t of d.arrivals(0.05, () => 1)) {
    const ip = d.publicIp();
    const tries = rng.int(1, 2);
    for (let i = 0; i < tries; i++) {
      const pid = rng.int(1000, 65000);
      const name = rng.pick(SCAN_NAMES);
      const at = t + i * rng.int(2_000, 9_000);
      d.add(at, 'sshd', h, `sshd[${pid}]: Invalid user ${name} from ${ip} port ${d.port()}`);
      d.add(at + 900, 'sshd', h, `sshd[${pid}]: Failed password for invalid user ${name} from ${ip} port ${d.port()} ssh2`);
      d.add(at + 1_100, 'sshd', h, `sshd[${pid}]: Connection closed by invalid user ${name} ${ip} port ${d.port()} [preauth]`);
    }
  }
  // Trap: a colleague on password auth mistypes 2–3 times, then gets in.
  for (const t of d.arrivals(0.006, () => 1)) {
    const who = rng.pick(USERS);
    const ip = `10.40.${rng.int(0, 3)}.${rng.int(2, 250)}`;
    const pid = rng.int(1000, 65000);
    let at = t;
    for (let i = rng.int(2, 3); i > 0; i--) {
      d.add(at, 'sshd', h, `sshd[${pid}]: Failed password for ${who} from ${ip} port ${d.port()} ssh2`);
      at += rng.int(3_000, 20_000);
    }
    d.add(at, 'sshd', h, `sshd[${pid}]: Accepted password for ${who} from ${ip} port ${d.port()} ssh2`);
  }
}

function loginFailed(service: string, user: string, ip: string, reason: string): string {
  return service === 'accounts'
    ? `level=warn msg="login failed" user=${user} ip=${ip} reason=${reason}`
    : `{"level":"warn","event":"login_failed","user":"${user}","ip":"${ip}","reason":"${reason}"}`;
}

function loginOk(service: string, user: string, ip: string, d: Day): string {
  return service === 'accounts'
    ? `level=info msg="login ok" user=${user} ip=${ip} mfa=${d.rng.pick(['totp', 'webauthn', 'none'])}`
    : `{"level":"info","event":"login_ok","user":"${user}","ip":"${ip}","session":"${d.rng.hex(24)}"}`;
}

/** Two login front ends, one logfmt, one JSON lines; customers come from public addresses. */
function logins(d: Day): void {
  const { rng } = d;
  for (const [service, host, rate] of [['accounts', 'app-1', 2.5], ['identity', 'app-2', 1.6]] as const) {
    for (const t of d.arrivals(rate)) {
      const user = rng.pick(d.customers);
      const ip = d.publicIp();
      let at = t;
      // Trap: typos. Most logins are clean, some take one retry, a few take 2–3.
      const typos = rng.chance(0.03) ? 1 : rng.chance(0.008) ? rng.int(2, 3) : 0;
      for (let i = 0; i < typos; i++) {
        d.add(at, service, host, loginFailed(service, user, ip, 'bad_password'));
        at += rng.int(4_000, 30_000);
      }
      d.add(at, service, host, loginOk(service, user, ip, d));
    }
    for (const t of d.arrivals(rate * 3)) {
      d.add(
        t,
        service,
        host,
        service === 'accounts'
          ? `level=info msg="session refreshed" user=${rng.pick(d.customers)} ttl=3600`
          : `{"level":"info","event":"token_issued","client":"web","scope":"orders:read","expires_in":900}`,
      );
    }
    for (const t of d.arrivals(rate * 0.1)) {
      d.add(t, service, host, service === 'accounts' ? `level=info msg="password reset requested" user=${rng.pick(d.customers)}` : `{"level":"info","event":"logout","user":"${rng.pick(d.customers)}"}`);
    }
  }
}

/** The four APIs, each writing its latency its own way. */
function apis(d: Day, fx: Effects): void {
  const { rng } = d;
  const slow = (svc: string, t: number) => fx.slow.get(svc)?.(t) ?? 1;
  for (const t of d.arrivals(20)) {
    const ms = Math.round(d.lat(80) * slow('gateway', t));
    const route = rng.pick(['/v2/orders', '/v2/carts', '/v2/products', '/v2/shipping/quote']);
    d.add(t + ms, 'gateway', 'gw-1', `${rng.pick(['GET', 'GET', 'POST'])} ${route}/${rng.int(1, 99999)} -> ${rng.chance(0.01) ? 404 : 200} took ${ms}ms`);
  }
  for (let t = d.from + rng.int(0, 59_999); t < d.to; t += 60_000) d.add(t, 'gateway', 'gw-1', `upstream pool orders-svc healthy=${rng.int(3, 4)}/4 rtt_ms=${rng.int(1, 4)}`);
  for (const t of d.arrivals(9)) {
    const s = (d.lat(80) * slow('pricing', t)) / 1000;
    d.add(t, 'pricing', 'py-1', `[INFO] pricing.api: quote served sku=${rng.pick(['AB', 'CD', 'EF'])}-${rng.int(100, 999)} currency=${rng.pick(['EUR', 'GBP', 'USD'])} status=200 duration=${s.toFixed(3)}s`);
  }
  for (const t of d.arrivals(0.4)) d.add(t, 'pricing', 'py-1', `[WARNING] pricing.fx: stale exchange rate for ${rng.pick(['CHF', 'SEK', 'PLN'])}, using cached value`);
  for (const t of d.arrivals(12)) {
    const ms = Math.round(d.lat(80) * slow('search', t));
    d.add(t, 'search', 'srch-1', `level=info msg="query served" index=${rng.pick(['products', 'brands'])} hits=${rng.int(0, 500)} latency_ms=${ms}`);
  }
  for (const t of d.arrivals(6)) {
    const ms = Math.round(d.lat(80) * slow('storefront', t));
    const host = rng.chance(0.5) ? 'fe-a' : 'fe-b';
    d.add(t, 'storefront', host, `Started GET "/p/${rng.int(100, 9999)}" for ${d.publicIp()}`);
    d.add(t + ms, 'storefront', host, `Completed 200 OK in ${ms} ms (Views: ${(ms * 0.3).toFixed(1)}ms | ActiveRecord: ${(ms * 0.4).toFixed(1)}ms)`);
  }
}

function storefrontDeploy(d: Day, at: number): void {
  const { rng } = d;
  for (const host of ['fe-a', 'fe-b']) {
    d.add(at, 'storefront', host, `Deploying storefront release v5.3.0 (build 8812) ...`);
    d.add(at + 15_000, 'storefront', host, `Puma starting in cluster mode, 4 workers, version 6.4.2`);
    for (let t = at + 40_000; t < d.to; t += 300_000 + rng.int(-3000, 3000)) d.add(t, 'storefront', host, `FeatureFlags synced: ${rng.int(30, 45)} flags from flagd in ${rng.int(5, 40)}ms`);
    for (const t of d.arrivals(0.3, daily, at + 60_000)) d.add(t, 'storefront', host, `Recommendation widget rendered for segment ${rng.pick(['new', 'returning', 'vip'])}`);
  }
}

function consumer(d: Day, fx: Effects): void {
  const { rng } = d;
  for (let t = d.from + rng.int(0, 14_999); t < d.to; t += 15_000 + rng.int(-500, 500)) {
    const k = fx.backlog(t);
    d.add(t, 'ledger-consumer', 'q-1', `[ledger-events] batch of ${rng.int(20, 80)} committed, lag_ms=${Math.round(d.lat(250, 0.3) * k)}, queue_depth=${Math.round(d.lat(30, 0.3) * k)}`);
  }
}

function heartbeat(d: Day, fx: Effects): void {
  const { rng } = d;
  let seq = rng.int(1000, 9000);
  const every = rng.pick([15_000, 20_000, 30_000, 60_000]);
  for (let t = d.from + rng.int(0, every - 1); t < d.to; t += every + rng.int(-200, 200)) {
    seq++;
    if (!fx.heartbeatDown(t)) d.add(t, 'edge-agent', 'edge-3', `heartbeat seq=${seq} status=ok cpu=${rng.int(2, 30)}% mem_mb=${rng.int(200, 260)}`);
  }
}

/** A burst every 5 minutes, a 40-line report every hour, a cron job every 15 minutes. */
function etl(d: Day): void {
  const { rng } = d;
  const h = 'batch-7';
  for (let t = Math.ceil(d.from / (5 * MIN)) * 5 * MIN + 2_000; t < d.to; t += 5 * MIN) {
    const n = rng.int(8, 25);
    d.add(t, 'etl', h, `sync cycle begin: ${n} chunks pending`);
    for (let i = 0; i < n; i++) d.add(t + 300 + i * 90, 'etl', h, `chunk ${i + 1}/${n} upserted ${rng.int(50, 2000)} records into warehouse.fact_sales`);
    d.add(t + 400 + n * 90, 'etl', h, `sync cycle done: ${n} chunks`);
  }
  for (let t = Math.ceil(d.from / HOUR) * HOUR + 45_000; t < d.to; t += HOUR) {
    d.add(t, 'etl', h, '=== hourly KPI report ===');
    for (let i = 0; i < 38; i++) d.add(t + 50 + i * 10, 'etl', h, `kpi store=${rng.pick(['north', 'south', 'east', 'west'])} sku_group=${rng.int(1, 40)} units=${rng.int(0, 900)} margin=${rng.int(5, 60)}.${rng.int(0, 9)}`);
    d.add(t + 500, 'etl', h, '=== end of report ===');
  }
  for (let t = Math.ceil(d.from / (15 * MIN)) * 15 * MIN; t < d.to; t += 15 * MIN) {
    const pid = rng.int(2000, 60000);
    d.add(t, 'etl', h, `CRON[${pid}]: (etl) CMD (/opt/etl/bin/compact-partitions --older-than 2d)`);
    d.add(t + rng.int(3000, 9000), 'etl', h, `compact-partitions: merged ${rng.int(0, 12)} partitions, freed ${rng.int(0, 900)}MB`);
  }
}

function authlog(d: Day): void {
  const { rng } = d;
  const h = 'app-1';
  for (let t = d.from + rng.int(0, 599_999); t < d.to; t += 10 * MIN) {
    d.add(t, 'authlog', h, `CRON[${rng.int(2000, 60000)}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
    d.add(t + 800, 'authlog', h, `CRON[${rng.int(2000, 60000)}]: pam_unix(cron:session): session closed for user root`);
  }
  for (const t of d.arrivals(0.05, () => 1)) {
    d.add(t, 'authlog', h, `sudo:   deploy : TTY=pts/${rng.int(0, 3)} ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl ${rng.pick(['status', 'restart', 'reload'])} accounts`);
    d.add(t + 5, 'authlog', h, `sudo: pam_unix(sudo:session): session opened for user root(uid=0) by deploy(uid=1001)`);
    d.add(t + 900, 'authlog', h, `sudo: pam_unix(sudo:session): session closed for user root`);
  }
}

function diskwatch(d: Day, fx: Effects): void {
  const { rng } = d;
  const h = 'db-2';
  for (let t = d.from + rng.int(0, 59_999); t < d.to; t += 60_000) {
    const data = fx.diskData(t) ?? 58 + rng.int(0, 3);
    d.add(t, 'diskwatch', h, `filesystem /data used ${Math.round(data)}% avail ${Math.round((100 - data) * 20)}G`);
    // /var/log fills through the day until logrotate empties it at 03:00: a WARN now and then is normal.
    const sinceRotate = (((t - 3 * HOUR) % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR);
    const varlog = 55 + (37 * sinceRotate) / (24 * HOUR);
    d.add(t + 5, 'diskwatch', h, `filesystem /var/log used ${Math.round(varlog)}% avail ${Math.round((100 - varlog) * 2)}G`);
    if (varlog >= 85 && rng.chance(0.02)) d.add(t + 10, 'diskwatch', h, `WARNING: filesystem /var/log is ${Math.round(varlog)}% full`);
    const data2 = fx.diskData(t);
    if (data2 !== undefined && data2 >= 90) d.add(t + 10, 'diskwatch', h, `WARNING: filesystem /data is ${Math.round(data2)}% full`);
  }
}

function gatewayCerts(d: Day, fx: Effects): void {
  const { rng } = d;
  for (let t = d.from + rng.int(0, HOUR - 1); t < d.to; t += HOUR) {
    for (const cn of ['api.shopfront.example', 'pay.shopfront.example', 'cdn.shopfront.example']) {
      if (cn === 'pay.shopfront.example' && fx.certWarn(t)) {
        d.add(t, 'gateway', 'gw-1', `WARN tls: certificate CN=${cn} expires in 2 days (notAfter=2026-03-19T23:59:59Z), renewal failed: ACME order pending`);
      } else {
        d.add(t, 'gateway', 'gw-1', `tls: certificate CN=${cn} ok, ${rng.int(40, 80)} days left`);
      }
    }
  }
}

function orders(d: Day, fx: Effects): void {
  const { rng } = d;
  const h = 'jvm-1';
  for (const t of d.arrivals(10)) {
    if (fx.oom(t) && rng.chance(0.6)) {
      d.add(t, 'orders', h, `ERROR [http-nio-8080-exec-${rng.int(1, 200)}] o.a.c.c.C.[dispatcherServlet]: Servlet.service() threw exception: java.lang.OutOfMemoryError: Java heap space`);
      d.add(t + 2, 'orders', h, `ERROR [http-nio-8080-exec-${rng.int(1, 200)}] c.s.orders.api.OrderController: POST /orders failed status=500 order=${rng.int(1e6, 9e6)}`);
      continue;
    }
    d.add(t, 'orders', h, `INFO [http-nio-8080-exec-${rng.int(1, 200)}] c.s.orders.api.OrderController: POST /orders created order=${rng.int(1e6, 9e6)} items=${rng.int(1, 7)}`);
  }
  for (const t of d.arrivals(0.15)) d.add(t, 'orders', h, `ERROR [http-nio-8080-exec-${rng.int(1, 200)}] c.s.orders.api.OrderController: POST /orders failed status=500 order=${rng.int(1e6, 9e6)}`);
  for (let t = d.from + rng.int(0, 59_999); t < d.to; t += 60_000) {
    const heap = fx.oom(t) ? rng.int(1990, 2048) : rng.int(600, 1400);
    d.add(t, 'orders', h, `INFO [scheduling-1] c.s.orders.health: heap_used_mb=${heap} threads=${rng.int(180, 230)} gc_pause_ms=${rng.int(2, 40)}`);
  }
}

// ---- incidents ----

interface Plan {
  kind: HeldOutKind;
  at: number;
  /** For latency_drift: which API. */
  target?: string;
}

function label(d: Day, before: number, base: Omit<IncidentLabel<HeldOutKind>, 'start' | 'end'>, from: number, to: number): IncidentLabel<HeldOutKind> {
  let first = from;
  let last = to;
  for (const l of d.lines.slice(before)) {
    first = Math.min(first, l.ms);
    last = Math.max(last, l.ms);
  }
  return { ...base, start: iso(first), end: iso(last) };
}

function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

function ramp(at: number, rise: number, hold: number, peak: number): (t: number) => number {
  return (t) => (t < at || t >= at + rise + hold ? 1 : 1 + (peak - 1) * Math.min(1, (t - at) / rise));
}

function inject(d: Day, p: Plan, n: number, fx: Effects): IncidentLabel<HeldOutKind> {
  const { rng } = d;
  const before = d.lines.length;
  const id = `h${n}-${p.kind.replaceAll('_', '-')}`;
  switch (p.kind) {
    case 'credential_stuffing': {
      const ips = [`45.155.${rng.int(0, 255)}.${rng.int(2, 250)}`, `194.26.${rng.int(0, 255)}.${rng.int(2, 250)}`];
      const slot = (2 * HOUR) / 30;
      for (let i = 0; i < 30; i++) {
        const at = p.at + i * slot + rng.int(0, Math.floor(slot * 0.5));
        const pid = rng.int(1000, 65000);
        const ip = ips[rng.chance(0.5) ? 0 : 1];
        if (rng.chance(0.2)) {
          d.add(at, 'sshd', 'bastion-1', `sshd[${pid}]: Failed password for ${rng.pick(['ops', 'deploy', 'backup'])} from ${ip} port ${d.port()} ssh2`);
        } else {
          const name = `${rng.pick(SCAN_NAMES)}${rng.chance(0.6) ? rng.int(1, 999) : ''}`;
          d.add(at, 'sshd', 'bastion-1', `sshd[${pid}]: Invalid user ${name} from ${ip} port ${d.port()}`);
          d.add(at + 700, 'sshd', 'bastion-1', `sshd[${pid}]: Failed password for invalid user ${name} from ${ip} port ${d.port()} ssh2`);
        }
      }
      return label(d, before, { id, kind: p.kind, service: 'sshd', host: 'bastion-1', description: `30 failed ssh logins for mostly made-up users from ${ips.join(' and ')} over 2 h` }, p.at, p.at);
    }
    case 'brute_force': {
      const [service, host] = rng.chance(0.5) ? ['accounts', 'app-1'] : ['identity', 'app-2'];
      const user = rng.pick(d.customers);
      const ip = `203.0.113.${rng.int(2, 250)}`;
      for (let i = 0; i < 6; i++) d.add(p.at + i * 10 * MIN + rng.int(0, 5 * MIN), service, host, loginFailed(service, user, ip, 'bad_password'));
      return label(d, before, { id, kind: p.kind, service, host, description: `6 failed logins for ${user} from ${ip} over an hour` }, p.at, p.at);
    }
    case 'latency_drift': {
      const svc = p.target ?? 'gateway';
      const hold = rng.int(10, 20) * MIN;
      fx.slow.set(svc, ramp(p.at, 45 * MIN, hold, 11));
      return { id, kind: p.kind, service: svc, start: iso(p.at), end: iso(p.at + 45 * MIN + hold), description: `${svc} latency climbs 80 → 900 ms over 45 minutes` };
    }
    case 'consumer_lag': {
      const hold = rng.int(10, 20) * MIN;
      fx.backlog = ramp(p.at, 30 * MIN, hold, 10);
      return { id, kind: p.kind, service: 'ledger-consumer', host: 'q-1', start: iso(p.at), end: iso(p.at + 30 * MIN + hold), description: 'lag_ms and queue_depth climb tenfold over 30 minutes' };
    }
    case 'heartbeat_silence': {
      const until = p.at + 25 * MIN;
      fx.heartbeatDown = (t) => t >= p.at && t < until;
      return { id, kind: p.kind, service: 'edge-agent', host: 'edge-3', start: iso(p.at - MIN), end: iso(until + MIN), description: 'the edge agent heartbeat stops for 25 minutes' };
    }
    case 'privilege_escalation': {
      d.add(p.at, 'authlog', 'app-1', 'sudo: www-data : command not allowed ; TTY=unknown ; PWD=/srv/accounts ; USER=root ; COMMAND=/bin/bash');
      return { id, kind: p.kind, service: 'authlog', host: 'app-1', start: iso(p.at), end: iso(p.at), description: 'the web app account tried to run a root shell through sudo' };
    }
    case 'disk_full': {
      const rise = 2 * HOUR;
      const end = p.at + rise + 20 * MIN;
      fx.diskData = (t) => (t >= p.at && t < end ? 60 + 39 * Math.min(1, (t - p.at) / rise) : undefined);
      return { id, kind: p.kind, service: 'diskwatch', host: 'db-2', start: iso(p.at), end: iso(end), description: '/data climbs from 60 % to 99 % over two hours' };
    }
    case 'certificate_expiry': {
      const end = p.at + 4 * HOUR;
      fx.certWarn = (t) => t >= p.at && t < end;
      return { id, kind: p.kind, service: 'gateway', host: 'gw-1', start: iso(p.at), end: iso(end), description: 'pay.shopfront.example expires in 2 days and its renewal fails' };
    }
    case 'out_of_memory': {
      const end = p.at + rng.int(12, 20) * MIN;
      fx.oom = (t) => t >= p.at && t < end;
      return { id, kind: p.kind, service: 'orders', host: 'jvm-1', start: iso(p.at), end: iso(end + MIN), description: 'java heap exhausted: OutOfMemoryError and HTTP 500s for 12–20 minutes' };
    }
  }
}

const APIS = ['gateway', 'pricing', 'search', 'storefront'];

/** The day's plan: every kind once (latency twice), times moved per seed, no two on one stream overlapping. */
function plan(seed: number): Plan[] {
  const rng = new Random(seed ^ 0x2c1b3c6d);
  const jitter = () => (rng.next() - 0.5) * 1.5;
  const first = seed % 4;
  const second = (first + 1 + (seed % 3)) % 4;
  const day: Plan[] = [
    { kind: 'credential_stuffing', at: 2.2 + jitter() },
    { kind: 'brute_force', at: 5.5 + jitter() },
    { kind: 'latency_drift', at: 8.5 + jitter(), target: APIS[first] },
    { kind: 'out_of_memory', at: 9.5 + jitter() },
    { kind: 'disk_full', at: 12 + jitter() },
    { kind: 'consumer_lag', at: 14.2 + jitter() },
    { kind: 'heartbeat_silence', at: 15.5 + jitter() },
    { kind: 'certificate_expiry', at: 17 + jitter() },
    { kind: 'latency_drift', at: 18.2 + jitter(), target: APIS[second] },
    { kind: 'privilege_escalation', at: 21.5 + jitter() },
  ];
  return day.map((p) => ({ ...p, at: p.at * HOUR }));
}

export function generateHeldOutDay(seed: number, start = HELDOUT_START): Scenario<HeldOutKind> {
  const from = Date.parse(start);
  const to = from + 24 * HOUR;
  const d = new Day(seed, from, to);
  const fx: Effects = { slow: new Map(), backlog: () => 1, heartbeatDown: () => false, diskData: () => undefined, certWarn: () => false, oom: () => false };
  const incidents = plan(seed).map((p, i) => inject(d, { ...p, at: from + p.at }, i + 1, fx));
  sshd(d);
  logins(d);
  apis(d, fx);
  storefrontDeploy(d, from + 10.67 * HOUR);
  consumer(d, fx);
  heartbeat(d, fx);
  etl(d);
  authlog(d);
  diskwatch(d, fx);
  gatewayCerts(d, fx);
  orders(d, fx);
  d.lines.sort((a, b) => a.ms - b.ms);
  const events = d.lines.map((l): VectorFileEvent => ({
    file: `/srv/logs/${l.host}/${l.service}.log`,
    host: l.host,
    message: l.message,
    service: l.service,
    source_type: 'file',
    timestamp: formatVectorTimestamp(l.ms, d.rng.int(0, 999_999)),
  }));
  return { seed, start: iso(from), end: iso(to), events, incidents };
}
