import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/detector/analyzer.js';
import { DetectorConfigSchema } from '../../../src/analysis/detector/config.js';
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
    expect(a.summary).toMatch(/5 lines matching failed authentication within 60 minutes, 1 of them in this window/);
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
});
