import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyRecord } from '../../src/sinks/record.js';
import { ModelServer, reply, type RecordedRequest } from '../support/model_server.js';
import { CLI_TEST_TIMEOUT_MS, plainLog, runCli } from './support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-cli-analyze-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BURST = 'connection pool exhausted after 30000ms waiting for db-1';

async function logFile(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

function parseNdjson(stdout: string): AnomalyRecord[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AnomalyRecord);
}

/** Evidence is a real line of the file, or the message part of one (plain format: after timestamp, level and service). */
function isFromFile(evidence: string, lines: readonly string[]): boolean {
  return lines.some((l) => l === evidence || l.endsWith(` ${evidence}`));
}

describe('lookout analyze', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('prints NDJSON anomaly records for a burst of errors, and a summary on stderr', async () => {
    const lines = plainLog({ minutes: 10, burstAt: 7, burst: BURST });
    const file = await logFile('burst.log', lines);
    const r = await runCli(['analyze', file, '--output', 'ndjson']);
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    const records = parseNdjson(r.stdout);
    expect(records.length).toBeGreaterThan(0);
    for (const rec of records) {
      expect(rec.event.kind).toBe('alert');
      expect(rec.service.name).toBe('payments');
      expect(rec.anomaly.evidence.length).toBeGreaterThan(0);
      for (const e of rec.anomaly.evidence) expect(isFromFile(e, lines), e).toBe(true);
    }
    const burst = records.find((rec) => rec.anomaly.evidence.some((e) => e.includes('connection pool exhausted')));
    expect(burst, JSON.stringify(records.map((x) => x.anomaly.type))).toBeDefined();
    expect(['medium', 'high', 'critical']).toContain(burst!.anomaly.severity);
    expect(burst!.anomaly.detector).toBe('embedded');
    const noun = records.length === 1 ? 'anomaly' : 'anomalies';
    expect(r.stderr).toMatch(new RegExp(`^${lines.length.toLocaleString('en-US')} records, [1-9]\\d* windows, format plain, \\d+\\.\\d s: ${records.length} ${noun} \\(`, 'm'));
  });

  it('with --llm-* flags sends redacted windows to the model and outputs its grounded finding (the serve analyzer path)', async () => {
    const CERT = 'WARN payments TLS certificate for api.payments.internal expires in 2 days';
    const lines = plainLog({
      minutes: 6,
      burstAt: 4,
      burst: BURST,
      extra: [
        { at: 65, line: CERT },
        { at: 66, line: 'INFO payments connecting to db with password=hunter2 user=app' },
      ],
    });
    const file = await logFile('llm.log', lines);
    const model = await ModelServer.start({ otherwise: reply.from(certFinding) });
    try {
      const r = await runCli(['analyze', file, '--llm-base-url', model.baseUrl, '--llm-model', 'test-model', '--llm-mode', 'always', '--output', 'ndjson']);
      expect(r.timedOut).toBe(false);
      expect(r.code, r.stderr).toBe(0);
      expect(model.requests.length).toBeGreaterThan(0);
      for (const req of model.requests) {
        expect(req.json.model).toBe('test-model');
        expect(req.body).not.toContain('hunter2');
      }
      const userMessages = model.requests.map((req) => req.json.messages.find((m) => m.role === 'user')!.content);
      expect(userMessages.some((m) => m.includes('TLS certificate for api.payments.internal expires in 2 days'))).toBe(true);
      expect(userMessages.some((m) => m.includes('password=<SECRET_1>'))).toBe(true);

      const records = parseNdjson(r.stdout);
      const cert = records.filter((rec) => rec.anomaly.type === 'certificate_expiry');
      expect(cert, JSON.stringify(records.map((x) => [x.anomaly.type, x.anomaly.detector]))).toHaveLength(1);
      expect(['llm', 'both']).toContain(cert[0].anomaly.detector);
      expect(cert[0].anomaly.evidence.some((e) => e.includes('TLS certificate for api.payments.internal expires in 2 days'))).toBe(true);
      for (const e of cert[0].anomaly.evidence) expect(isFromFile(e, lines), e).toBe(true);
      expect(r.stdout).not.toContain('hunter2');
    } finally {
      await model.close();
    }
  });

  it('exits 2 naming the file when it does not exist', async () => {
    const missing = join(dir, 'missing.log');
    const r = await runCli(['analyze', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(r.stdout).toBe('');
  });
});

/** The model's answer: the certificate warning when the window shows it, quoted from the view, else nothing. */
function certFinding(req: RecordedRequest): unknown {
  const user = req.json.messages.find((m) => m.role === 'user')?.content ?? '';
  const line = user.split('\n').find((l) => l.includes('TLS certificate for api.payments.internal'));
  if (!line) return { anomalies: [], window_health: 'normal', total_lines_analyzed: 0 };
  return {
    anomalies: [
      {
        severity: 'medium',
        type: 'certificate_expiry',
        summary: 'The TLS certificate of api.payments.internal expires in 2 days.',
        evidence: [line.trim()],
        recommended_action: 'Renew the certificate for api.payments.internal.',
      },
    ],
    window_health: 'degraded',
    total_lines_analyzed: 1,
  };
}
