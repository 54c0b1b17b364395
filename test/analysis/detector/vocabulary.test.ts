import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { DetectorConfigSchema, type DetectorConfigInput } from '../../../src/analysis/detector/config.js';
import { MINUTE, T0, chatter, makeWindow, mulberry32 } from './support.js';

const failed = (n: number) => `sshd[4242]: Failed password for admin from 203.0.113.${n} port 5${n}022 ssh2`;

/** 12 five-minute windows (one hour) of chatter, with one failed login in each window listed. */
async function hour(withFailures: number[], spacingMinutes = 5) {
  const rng = mulberry32(13);
  const analyzer = new EmbeddedAnalyzer();
  const results = [];
  for (let w = 0; w < 12; w++) {
    const lines = chatter(rng, 40);
    if (withFailures.includes(w)) lines.splice(20, 0, failed(w));
    results.push(await analyzer.analyze(makeWindow(T0 + w * spacingMinutes * MINUTE, lines, 'bastion|bastion-1')));
  }
  return results;
}

describe('vocabulary signal', () => {
  it('catches five failed logins spread over an hour, none of the windows bad on its own', async () => {
    const results = await hour([0, 3, 6, 9, 11]);
    const hits = results.flatMap((r, w) => r.anomalies.map((a) => ({ w, a })));
    expect(hits).toHaveLength(1);
    expect(hits[0].w).toBe(11);
    const { a } = hits[0];
    expect(a).toMatchObject({ type: 'failed_authentication', severity: 'medium', evidence: [failed(11)] });
    expect(a.summary).toMatch(/^user admin from 5 addresses produced 5 lines matching failed authentication within 60 minutes on bastion \(bastion-1\)/);
    expect(a.recommended_action).toContain('bastion-1');
  });

  it('does not fire on four', async () => {
    const results = await hour([0, 4, 8, 11]);
    expect(results.flatMap((r) => r.anomalies)).toEqual([]);
  });

  it('does not fire when the five are spread wider than the span', async () => {
    // Windows 15 minutes apart: the five failures span two hours.
    const results = await hour([0, 2, 4, 6, 8], 15);
    expect(results.flatMap((r) => r.anomalies)).toEqual([]);
  });

  it('restarts the count after firing, so one burst is one anomaly', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const burst = Array.from({ length: 7 }, (_, i) => failed(i));
    const first = await analyzer.analyze(makeWindow(T0, burst, 'bastion|bastion-1'));
    expect(first.anomalies.map((a) => a.type)).toEqual(['failed_authentication']);
    expect(first.anomalies[0].evidence).toHaveLength(5);
    const second = await analyzer.analyze(makeWindow(T0 + MINUTE, [failed(8)], 'bastion|bastion-1'));
    expect(second.anomalies).toEqual([]);
  });

  it('learns a stream where failed logins are everyday background, and still alarms well above it', async () => {
    // An SSH server scanned all day: about one failed login per five-minute window, for six hours.
    const rng = mulberry32(19);
    // Rate spikes off, so the burst's anomaly is the vocabulary's own and not merged into a spike of the same template.
    const analyzer = new EmbeddedAnalyzer({ rate: { enabled: false } }, { rng: () => 1 });
    const alarms: number[] = [];
    for (let w = 0; w < 72; w++) {
      const lines = chatter(rng, 40);
      if (rng() < 0.9) lines.splice(20, 0, failed(w % 250));
      const r = await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, 'bastion|bastion-1'));
      if (r.anomalies.some((a) => a.type === 'failed_authentication')) alarms.push(w);
    }
    // Before the baseline exists the fixed threshold still fires; after the first hour, never.
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.filter((w) => w >= 12)).toEqual([]);
    const burst = Array.from({ length: 40 }, (_, i) => failed(i));
    const r = await analyzer.analyze(makeWindow(T0 + 72 * 5 * MINUTE, [...chatter(rng, 40), ...burst], 'bastion|bastion-1'));
    expect(r.anomalies.map((a) => a.type)).toEqual(['failed_authentication']);
    expect(r.anomalies[0].summary).toMatch(/against about \d+\.\d per user usually/);
  });

  it('still catches a slow brute force on a service with an occasional mistyped password', async () => {
    const rng = mulberry32(37);
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    const typo = (w: number) => `WARN login failed for user carol.${w} from 81.2.3.${w % 250}: invalid password`;
    const attack = (w: number) => `WARN login failed for user admin from 185.220.101.${w}: invalid password`;
    const alarms: number[] = [];
    // Four hours with one or two typos an hour, then eight failed logins for admin over the next hour, at most one a window.
    for (let w = 0; w < 60; w++) {
      const lines = chatter(rng, 30);
      if (w < 48 && w % 8 === 3) lines.splice(10, 0, typo(w));
      if (w >= 48 && w % 12 !== 5 && w % 12 !== 9) lines.splice(15, 0, attack(w));
      const r = await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, 'auth|auth-1'));
      if (r.anomalies.length > 0) alarms.push(w);
    }
    expect(alarms.length).toBe(1);
    expect(alarms[0]).toBeGreaterThanOrEqual(48);
  });

  it('keeps a cluster that a known background rate makes plausible quiet, and alarms one match later', async () => {
    // Twelve hours at one mistyped password an hour, then five in one hour (about a 1-in-400 hour at that rate), then a sixth.
    const typo = (w: number) => `WARN login failed for user carol.${w} from 81.2.3.${w % 250}: invalid password`;
    const run = async (cfg: DetectorConfigInput) => {
      const rng = mulberry32(41);
      const analyzer = new EmbeddedAnalyzer(cfg, { rng: () => 1 });
      const alarms: number[] = [];
      for (let w = 0; w < 12 * 12 + 12; w++) {
        const lines = chatter(rng, 30);
        const cluster = w >= 144 && [1, 3, 5, 7, 9, 10].includes(w - 144);
        if ((w < 144 && w % 12 === 3) || cluster) lines.splice(10, 0, typo(w));
        const r = await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, 'auth|auth-1'));
        if (r.anomalies.some((a) => a.type === 'failed_authentication')) alarms.push(w - 144);
      }
      return alarms;
    };
    expect(await run({})).toEqual([10]);
    // Without the chance test the fifth match of the cluster alarms on the plain threshold.
    expect(await run({ vocabulary_max_chance: 1 })).toEqual([9]);
  });

  it('still raises a single out-of-memory line as critical on a stream with hours of history and none before', async () => {
    const rng = mulberry32(3);
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    for (let w = 0; w < 48; w++) expect((await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, chatter(rng, 50)))).anomalies).toEqual([]);
    const oom = 'ERROR [invoice-worker] java.lang.OutOfMemoryError: Java heap space';
    const result = await analyzer.analyze(makeWindow(T0 + 48 * 5 * MINUTE, [...chatter(rng, 50), oom]));
    expect(result.anomalies.map((a) => [a.type, a.severity])).toEqual([['out_of_memory', 'critical']]);
  });

  it('rejects a vocabulary_max_chance of zero', () => {
    expect(DetectorConfigSchema.safeParse({ vocabulary_max_chance: 0 }).success).toBe(false);
  });

  it('raises a single out-of-memory line at once as critical', async () => {
    const analyzer = new EmbeddedAnalyzer();
    const oom = 'kernel: Out of memory: Killed process 3121 (java) total-vm:8123456kB';
    const result = await analyzer.analyze(makeWindow(T0, [...chatter(mulberry32(2), 50), oom]));
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ type: 'out_of_memory', severity: 'critical', evidence: [oom] });
    expect(result.health).toBe('critical');
  });

  it('uses a configured vocabulary instead of the default', async () => {
    const vocabulary = [{ name: 'card_declined', pattern: 'card (was )?declined', severity: 'low' as const, threshold: 2, span_minutes: 5, action: 'Check the card processor status for {service}.' }];
    const analyzer = new EmbeddedAnalyzer({ vocabulary });
    const result = await analyzer.analyze(makeWindow(T0, ['INFO card declined for order 1', 'INFO Card was declined for order 2', 'kernel: Out of memory']));
    expect(result.anomalies.map((a) => a.type)).toEqual(['card_declined']);
    expect(result.anomalies[0].recommended_action).toBe('Check the card processor status for payments.');
  });

  it('rejects an invalid pattern in the config', () => {
    const bad = DetectorConfigSchema.safeParse({ vocabulary: [{ name: 'x', pattern: '(', severity: 'low', threshold: 1, span_minutes: 1, action: 'a' }] });
    expect(bad.success).toBe(false);
  });

  it('default patterns match the phrases they are named after', () => {
    const vocab = DetectorConfigSchema.parse({}).vocabulary;
    const samples: Record<string, string> = {
      failed_authentication: 'pam_unix(sshd:auth): authentication failure; rhost=1.2.3.4',
      invalid_user: 'Invalid user oracle from 10.0.0.9',
      permission_denied: 'open /etc/shadow: permission denied',
      out_of_memory: 'java.lang.OutOfMemoryError: Java heap space',
      segfault: 'app[311]: segfault at 0 ip 00007f sp 00007ffd error 4',
      connection_pool_exhausted: 'HikariPool-1 - Connection is not available: connection pool exhausted',
      timeout: 'upstream request timed out after 30s',
      certificate_error: 'x509: certificate has expired or is not yet valid',
    };
    for (const entry of vocab) expect(new RegExp(entry.pattern, 'i').test(samples[entry.name]), entry.name).toBe(true);
    expect(vocab.some((e) => new RegExp(e.pattern, 'i').test('INFO GET /api/orders/12 200 14ms'))).toBe(false);
  });

  it('matches event names and reasons joined by _ or -, so a JSON login_failed line is counted, not news', async () => {
    const vocab = DetectorConfigSchema.parse({}).vocabulary;
    const re = (name: string) => new RegExp(vocab.find((e) => e.name === name)!.pattern, 'i');
    expect(re('failed_authentication').test('{"level":"warn","event":"login_failed","user":"bob"}')).toBe(true);
    expect(re('failed_authentication').test('level=warn msg="login failed" user=bob reason=bad_password')).toBe(true);
    expect(re('invalid_user').test('{"event":"auth","error":"unknown_user"}')).toBe(true);
    expect(re('failed_authentication').test('{"event":"login_ok","user":"bob"}')).toBe(false);
    const rng = mulberry32(23);
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    const found = [];
    for (let w = 0; w < 24; w++) {
      const lines = chatter(rng, 30);
      // A JSON logger writes each line as one token, so every user is a line shape of its own.
      if (w >= 12 && w % 4 === 0) lines.push(`{"level":"warn","event":"login_failed","user":"u${w}","ip":"81.2.3.${w}","reason":"bad_password"}`);
      found.push(...(await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, 'identity|app-2'))).anomalies);
    }
    expect(found.filter((a) => a.severity !== 'low')).toEqual([]);
  });

  it('judges failed logins spread over many actors against the usual only after warm-up, and scales the usual with traffic', async () => {
    const scan = (w: number, i: number) => `sshd[1]: Failed password for invalid user u${w}x${i} from 77.${w}.${i}.9 port 4242 ssh2`;
    const run = async (traffic: (w: number) => number) => {
      const rng = mulberry32(29);
      const analyzer = new EmbeddedAnalyzer({ rate: { enabled: false } }, { rng: () => 1 });
      const alarms: number[] = [];
      for (let w = 0; w < 12 * 8; w++) {
        const lines = chatter(rng, traffic(w));
        // Six scanners within the first half hour, then one every 20 minutes, then one more every window in the last hour.
        const n = w < 6 ? 1 : w % 4 === 0 ? 1 : 0;
        for (let i = 0; i < n + (w >= 84 ? 1 : 0); i++) lines.push(scan(w, i));
        const r = await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, 'sshd|bastion-1'));
        if (r.anomalies.some((a) => a.severity !== 'low')) alarms.push(w);
      }
      return alarms;
    };
    // Before warm-up six addresses in half an hour are no alarm (one address would be; the crowd is judged once warmed up);
    // fifteen in the last hour against three usually are.
    const flat = await run(() => 30);
    expect(flat.filter((w) => w < 6)).toEqual([]);
    expect(flat.filter((w) => w >= 84).length).toBeGreaterThan(0);
    // The same last hour at five times the usual traffic is an ordinary busy hour.
    expect((await run((w) => (w >= 72 ? 150 : 30))).filter((w) => w >= 72)).toEqual([]);
  });
});
