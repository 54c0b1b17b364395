import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { StreamStates } from '../../../src/analysis/detector/stream_state.js';
import { actorsOf, isPrivateIp } from '../../../src/analysis/detector/params.js';
import { MINUTE, T0, between, chatter, makeWindow, mulberry32 } from './support.js';

const STREAM = 'auth|auth-1';
const typo = (user: string, ip: string) => `WARN login failed for user ${user} from ${ip}: invalid password`;
const success = (user: string, ip: string) => `INFO login succeeded for user ${user} from ${ip} (method=password)`;

/**
 * Runs `hours` of five-minute windows of chatter with background logins (every user from their own address,
 * one in fifty mistyped once), plus `extra(w)` lines in window w; returns the anomalies per window.
 */
async function day(hours: number, extra: (w: number, rng: () => number) => string[], seed = 5) {
  const rng = mulberry32(seed);
  const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
  const out: Array<{ w: number; type: string; severity: string; summary: string; evidence: string[] }> = [];
  for (let w = 0; w < hours * 12; w++) {
    const lines = chatter(rng, 30);
    for (let i = 0; i < 5; i++) {
      const user = `user${between(rng, 1, 300)}`;
      const ip = `81.2.${between(rng, 0, 254)}.${between(rng, 1, 254)}`;
      if (rng() < 0.02) lines.push(typo(user, ip));
      lines.push(success(user, ip));
    }
    lines.push(...extra(w, rng));
    const r = await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, STREAM));
    for (const a of r.anomalies) out.push({ w, type: a.type, severity: a.severity, summary: a.summary, evidence: a.evidence });
  }
  return { out, analyzer };
}

describe('actor-aware vocabulary counts', () => {
  it('reads actors from common login lines', () => {
    expect(actorsOf('WARN login failed for user admin from 185.220.101.7: invalid password')).toEqual([
      { kind: 'ip', value: '185.220.101.7' },
      { kind: 'user', value: 'admin' },
    ]);
    expect(actorsOf('sshd[42]: Failed password for invalid user oracle from 203.0.113.9 port 5022 ssh2')).toContainEqual({ kind: 'user', value: 'oracle' });
    expect(actorsOf('sshd[42]: Failed password for root from 203.0.113.9 port 5022 ssh2')).toContainEqual({ kind: 'user', value: 'root' });
    expect(actorsOf('sudo: www-data : command not allowed ; COMMAND=/bin/bash')).toContainEqual({ kind: 'user', value: 'www-data' });
    expect(actorsOf('open /etc/shadow: permission denied')).toEqual([{ kind: 'path', value: '/etc/shadow' }]);
    // JSON lines name their user as a quoted key.
    expect(actorsOf('{"level":"warn","event":"login_failed","user":"bob","ip":"203.0.113.9"}')).toEqual([
      { kind: 'ip', value: '203.0.113.9' },
      { kind: 'user', value: 'bob' },
    ]);
    expect(isPrivateIp('10.1.2.3')).toBe(true);
    expect(isPrivateIp('185.220.101.7')).toBe(false);
  });

  it('catches six failed logins of one account from one outside address over an hour, naming both', async () => {
    // Six attempts ten minutes apart: never more than one in a five-minute window.
    const { out } = await day(6, (w) => (w >= 36 && w < 48 && w % 2 === 0 ? [typo('admin', '185.220.101.7')] : []));
    const medium = out.filter((a) => a.severity !== 'low');
    expect(medium).toHaveLength(1);
    const [a] = medium;
    expect(a.w).toBe(44);
    expect(a.type).toBe('failed_authentication');
    expect(a.summary).toMatch(/(user admin from 185\.220\.101\.7 \(outside\)|address 185\.220\.101\.7 \(outside\) for user admin) produced 5 lines/);
    expect(a.evidence).toContain(typo('admin', '185.220.101.7'));
  });

  it('catches a credential-stuffing run: 30 failures for many made-up users from two addresses over two hours, at most two a window', async () => {
    const names = ['admin', 'test', 'guest', 'oracle', 'support', 'info', 'sales', 'backup', 'postgres', 'ubuntu'];
    const ips = ['45.133.1.20', '193.32.162.40'];
    let n = 0;
    const { out } = await day(8, (w, rng) => {
      if (w < 48 || w >= 72) return [];
      const k = w % 4 === 0 ? 2 : 1;
      const lines: string[] = [];
      for (let i = 0; i < k && n < 30; i++, n++) lines.push(`WARN login failed for user ${names[n % names.length]}${between(rng, 1, 99)} from ${ips[n % 2]}: unknown user`);
      return lines;
    });
    expect(n).toBe(30);
    const hits = out.filter((a) => a.severity !== 'low');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((a) => a.w >= 48 && a.w < 84)).toBe(true);
    expect(hits[0].summary).toMatch(/address (45\.133\.1\.20|193\.32\.162\.40) \(outside\) for \d+ different users/);
  });

  it('stays quiet on users who mistype three times in a row and then get in', async () => {
    const { out } = await day(12, (w, rng) => {
      if (w % 30 !== 7) return [];
      const user = `user${between(rng, 1, 300)}`;
      const ip = `81.3.4.${between(rng, 1, 254)}`;
      return [typo(user, ip), typo(user, ip), typo(user, ip), success(user, ip)];
    });
    expect(out.filter((a) => a.severity !== 'low')).toEqual([]);
  });

  it('counts attempts, not lines: scanners whose every try logs three sshd lines stay quiet, six slow tries do not', async () => {
    const sshd = (user: string, ip: string, at: number) => [
      { message: `sshd[${at}]: Invalid user ${user} from ${ip} port ${40000 + at}`, at },
      { message: `sshd[${at}]: Failed password for invalid user ${user} from ${ip} port ${40000 + at} ssh2`, at: at + 2_000 },
      { message: `sshd[${at}]: Connection closed by invalid user ${user} ${ip} port ${40000 + at} [preauth]`, at: at + 2_300 },
    ];
    const rng = mulberry32(9);
    const analyzer = new EmbeddedAnalyzer({}, { rng: () => 1 });
    const found: Array<{ w: number; severity: string }> = [];
    for (let w = 0; w < 36; w++) {
      const lines: Array<string | { message: string; at: number }> = chatter(rng, 30);
      // Every half hour a scanner tries two names a few seconds apart: six lines, two attempts.
      if (w % 6 === 2) lines.push(...sshd('oracle', `77.1.2.${w}`, 10_000), ...sshd('pi', `77.1.2.${w}`, 16_000));
      // From window 24 one address tries once every ten minutes.
      if (w >= 24 && w % 2 === 0) lines.push(...sshd(`admin${w}`, '45.155.1.2', 20_000));
      for (const a of (await analyzer.analyze(makeWindow(T0 + w * 5 * MINUTE, lines, 'sshd|bastion-1'))).anomalies) found.push({ w, severity: a.severity });
    }
    expect(found.filter((a) => a.severity !== 'low').map((a) => a.w)).toEqual([32]);
  });

  it('does not count an immediate retry: two typo sessions of one user in an hour stay quiet', async () => {
    const { out } = await day(6, (w, rng) => {
      if (w !== 40 && w !== 46) return [];
      const ip = `81.3.4.${between(rng, 1, 254)}`;
      return [typo('user7', ip), typo('user7', ip), typo('user7', ip), success('user7', ip)];
    });
    expect(out.filter((a) => a.severity !== 'low')).toEqual([]);
  });

  it('keeps at most top_k actors per entry, and its state survives a save and load', async () => {
    const analyzer = new EmbeddedAnalyzer({ actors: { top_k: 8 } }, { rng: () => 1 });
    const lines = Array.from({ length: 40 }, (_, i) => typo(`u${i}`, `81.2.3.${i + 1}`));
    await analyzer.analyze(makeWindow(T0, lines, STREAM));
    const saved = JSON.parse(JSON.stringify((analyzer as unknown as { states: StreamStates }).states.toJSON()));
    const table = saved[0].actors.find(([name]: [string]) => name === 'failed_authentication')[1];
    expect(table.actors.length).toBeLessThanOrEqual(8);
    const loaded = StreamStates.fromJSON(saved, 10);
    expect(loaded.peek(STREAM)?.actors.get('failed_authentication')?.actors.size).toBe(table.actors.length);
  });
});
