import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI_TEST_TIMEOUT_MS, runCli } from './support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookout-cli-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TOKEN = 'sk-live-ingest-7f3a9c2e41';

async function yamlFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('lookout config check', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('prints the effective configuration as YAML with secrets masked', async () => {
    const file = await yamlFile('secret.yaml', `sources:\n  http:\n    auth:\n      bearer_token: ${TOKEN}\n`);
    const r = await runCli(['config', 'check', '-c', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(TOKEN);
    const printed = parse(r.stdout) as { sources: { http: { auth: { bearer_token: string }; port: number } }; notifications: { redaction: { enabled: boolean } } };
    expect(printed.sources.http.auth.bearer_token).toBe('********');
    expect(printed.sources.http.port).toBe(8080);
    expect(printed.notifications.redaction.enabled).toBe(true);
  });

  it('reports the rules in force from analysis.rules', async () => {
    const rules = await yamlFile('rules.yaml', 'rules:\n  - id: quiet-reports\n    match: {service: reports, type: rate_spike}\n    action: mute\n');
    const file = await yamlFile('with-rules.yaml', `analysis:\n  rules: ${rules}\n`);
    const r = await runCli(['config', 'check', '-c', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`# rules file: ${rules}; 1 rule`);
    expect((parse(r.stdout) as { rules: unknown[] }).rules).toEqual([{ id: 'quiet-reports', match: { service: 'reports', type: 'rate_spike' }, action: 'mute' }]);
    const none = await runCli(['config', 'check', '-c', await yamlFile('no-rules.yaml', 'labels: {}\n')]);
    expect(none.stdout).toMatch(/# rules file: none: feedback rules are kept in memory only/);
  });

  it('applies environment overrides', async () => {
    const file = await yamlFile('plain.yaml', 'sources:\n  http:\n    port: 8081\n');
    const r = await runCli(['config', 'check', '--config', file], { env: { LOOKOUT_SOURCES__HTTP__PORT: '9999' } });
    expect(r.code, r.stderr).toBe(0);
    expect((parse(r.stdout) as { sources: { http: { port: number } } }).sources.http.port).toBe(9999);
  });

  it('exits 2 naming each bad key: a wrong type and an unknown key', async () => {
    const file = await yamlFile('bad.yaml', 'windows:\n  max_lines: lots\nfrobnicate: true\n');
    const r = await runCli(['config', 'check', '-c', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/windows\.max_lines: .*expected number/);
    expect(r.stderr).toMatch(/frobnicate: unknown key/);
  });

  it('exits 2 for a configuration file that does not exist', async () => {
    const missing = join(dir, 'nope.yaml');
    const r = await runCli(['config', 'check', '-c', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
  });
});
