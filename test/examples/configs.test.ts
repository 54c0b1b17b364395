/**
 * The shipped configuration examples and deployment files, parsed the way
 * their tools read them (TOML with smol-toml, Fluent Bit classic with the
 * small parser below, YAML, compose and Kubernetes YAML, the Dockerfile and
 * the systemd unit line by line) and checked for what makes them work as
 * written: labels that agree with Lookout's Loki sink and the README's LogQL,
 * no duplicate @timestamp in Elasticsearch, a meaningful service from `tail`,
 * probes on the real endpoints, state on a volume.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { LookoutConfigSchema } from '../../src/config/schema.js';
import { LokiSinkOptionsSchema } from '../../src/sinks/loki/config.js';
import { REPO_ROOT } from '../cli/support.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

/** Lookout's own loki sink: label name → record field path, plus its static labels. */
const LOKI = LokiSinkOptionsSchema.parse({ endpoint: 'http://loki:3100' });
const LOOKOUT_LABELS = { ...Object.fromEntries(Object.entries(LOKI.static_labels).map(([k, v]) => [k, `=${v}`])), ...LOKI.labels };

/** Fluent Bit classic format: `[SECTION]` headers and `Key Value` lines; `#` comments. Keys are case-insensitive, so lower-cased. */
function parseFluentBitClassic(text: string): Array<{ section: string; props: Record<string, string> }> {
  const sections: Array<{ section: string; props: Record<string, string> }> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([A-Z_]+)\]$/.exec(line);
    if (header) sections.push({ section: header[1], props: {} });
    else {
      const m = /^(\S+)\s+(.+)$/.exec(line);
      if (!m || sections.length === 0) throw new Error(`not a Fluent Bit classic line: ${raw}`);
      sections.at(-1)!.props[m[1].toLowerCase()] = m[2].trim();
    }
  }
  return sections;
}

/** Fluent Bit loki `labels`: `name=value` fixed, `name=$a['b']` from the record. Returns name → `=value` or field path. */
function fluentBitLokiLabels(labels: string): Record<string, string> {
  return Object.fromEntries(
    labels.split(',').map((part) => {
      const [name, value] = part.trim().split('=');
      const accessor = /^\$(\w+)((?:\['\w+'\])*)$/.exec(value);
      if (!accessor) return [name, `=${value}`];
      return [name, [accessor[1], ...[...accessor[2].matchAll(/\['(\w+)'\]/g)].map((m) => m[1])].join('.')];
    }),
  );
}

/** Vector loki `labels.*`: `{{ path }}` templates become the field path, anything else `=value`. */
function vectorLokiLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, /^\{\{\s*([\w.]+)\s*\}\}$/.exec(v)?.[1] ?? `=${v}`]));
}

/** The labels a LogQL stream selector uses, with their values. */
function logqlLabels(query: string): Record<string, string> {
  const selector = /^\{([^}]*)\}/.exec(query)![1];
  return Object.fromEntries(selector.split(',').map((m) => /^\s*(\w+)\s*=~?\s*"([^"]*)"/.exec(m)!.slice(1, 3)));
}

interface FluentPlugin {
  name: string;
  [key: string]: unknown;
}

/** The checks both Fluent Bit formats must pass, on lower-cased keys. */
function checkFluentBit(inputs: Array<Record<string, string>>, outputs: Array<Record<string, string>>) {
  const tail = inputs.find((i) => i.name === 'tail')!;
  expect(tail.tag).toBe('app.<service>');
  expect(tail.path_key).toBe('file');
  // The named group fills <service>; old Fluent Bit matches the base name, new the whole path: both must work.
  const re = new RegExp(tail.tag_regex);
  for (const path of ['/var/log/app/payments.log', 'payments.log']) expect(re.exec(path)?.groups?.service).toBe('payments');

  const http = outputs.find((o) => o.name === 'http')!;
  expect(http).toMatchObject({ uri: '/v1/logs', format: 'json_lines', header_tag: 'X-Fluent-Tag', retry_limit: 'no_limits' });

  const es = outputs.find((o) => o.name === 'es')!;
  expect(es.time_key).toBeDefined();
  expect(es.time_key).not.toBe('@timestamp');

  const loki = outputs.find((o) => o.name === 'loki')!;
  expect(fluentBitLokiLabels(loki.labels)).toEqual(LOOKOUT_LABELS);
  expect(loki.label_keys).toBeUndefined();
}

describe('vector.toml.example', () => {
  const vector = parseToml(read('vector.toml.example')) as { sinks: Record<string, Record<string, unknown>>; sources: Record<string, Record<string, unknown>> };

  it('sends to Lookout with the five lines the README shows', () => {
    expect(vector.sinks.lookout).toMatchObject({ type: 'http', inputs: ['app_logs'], uri: 'http://127.0.0.1:8080/v1/logs', encoding: { codec: 'json' }, compression: 'gzip' });
    expect(vector.sources.lookout_anomalies).toMatchObject({ type: 'fluent' });
  });

  it("labels anomalies in Loki exactly as Lookout's own loki sink does", () => {
    const loki = vector.sinks.anomalies_loki as { type: string; labels: Record<string, string> };
    expect(loki.type).toBe('loki');
    expect(vectorLokiLabels(loki.labels)).toEqual(LOOKOUT_LABELS);
  });
});

describe('fluent-bit.conf.example (classic) and examples/fluent-bit.yaml', () => {
  it('classic: tail gives each file its service, es keeps one @timestamp, loki labels match Lookout', () => {
    const sections = parseFluentBitClassic(read('fluent-bit.conf.example'));
    checkFluentBit(
      sections.filter((s) => s.section === 'INPUT').map((s) => s.props),
      sections.filter((s) => s.section === 'OUTPUT').map((s) => s.props),
    );
  });

  it('YAML: the same', () => {
    const doc = parseYaml(read('examples/fluent-bit.yaml')) as { pipeline: { inputs: FluentPlugin[]; outputs: FluentPlugin[] } };
    const lower = (plugins: FluentPlugin[]) => plugins.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k.toLowerCase(), String(v)])));
    checkFluentBit(lower(doc.pipeline.inputs), lower(doc.pipeline.outputs));
  });
});

describe('README', () => {
  const readme = read('README.md');

  it("queries Loki with labels Lookout's loki sink sets, and says which Loki structured metadata needs", () => {
    const query = /```logql\n(.+)\n```/.exec(readme)![1];
    const labels = logqlLabels(query);
    expect(Object.keys(labels).length).toBeGreaterThan(1);
    for (const [name, value] of Object.entries(labels)) {
      expect(LOOKOUT_LABELS, name).toHaveProperty(name);
      if (LOOKOUT_LABELS[name].startsWith('=')) expect(`=${value}`).toBe(LOOKOUT_LABELS[name]);
    }
    expect(readme).toMatch(/Loki 3\.0/);
  });
});

describe('examples/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(read('examples/grafana-dashboard.json')) as {
    panels: Array<{ type: string; title: string; datasource?: { type: string }; targets?: Array<{ expr: string; legendFormat?: string }> }>;
  };

  it('lists anomaly records from Loki by the labels Lookout sets, and charts anomalies by service', () => {
    const logs = dashboard.panels.filter((p) => p.type === 'logs');
    expect(logs).toHaveLength(1);
    expect(logs[0].datasource?.type).toBe('loki');
    const labels = logqlLabels(logs[0].targets![0].expr);
    expect(Object.keys(labels).every((l) => l in LOOKOUT_LABELS)).toBe(true);
    expect(labels.source).toBe('lookout');
    const byService = dashboard.panels.find((p) => p.title === 'Anomalies by service')!;
    expect(byService.targets![0].expr).toMatch(/^sum by \(service\) \(rate\(lookout_anomalies_emitted_total\{/);
  });
});

describe('deploy/', () => {
  it('Dockerfile: multi-stage, non-root, HEALTHCHECK on /healthz, STOPSIGNAL SIGTERM, state on a volume', () => {
    const lines = read('Dockerfile')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const instr = (name: string) => lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
    expect(instr('FROM').length).toBeGreaterThanOrEqual(2);
    expect(instr('FROM').every((f) => f.startsWith('node:20'))).toBe(true);
    expect(instr('USER')).toEqual(['node']);
    expect(instr('HEALTHCHECK')[0]).toContain("http://127.0.0.1:8080/healthz");
    expect(instr('STOPSIGNAL')).toEqual(['SIGTERM']);
    const state = /LOOKOUT_ANALYSIS__STATE_PATH=(\S+)/.exec(instr('ENV').join(' '))![1];
    expect(JSON.parse(instr('VOLUME')[0])).toEqual([state]);
    expect(instr('EXPOSE')).toEqual(['8080 24224']);
    expect(JSON.parse(instr('ENTRYPOINT')[0])).toEqual(['node', '/app/dist/cli.js']);
  });

  it('compose: Vector → Lookout → Loki, each config valid for its tool', async () => {
    const compose = parseYaml(read('deploy/compose/compose.yaml')) as { services: Record<string, { image?: string; build?: { context: string }; volumes?: string[]; command?: string[] }> };
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['vector', 'lookout', 'loki']));
    expect(compose.services.lookout.build?.context).toBe('../..');
    expect(compose.services.loki.image).toMatch(/^grafana\/loki:3\./);
    const vector = parseToml(read('deploy/compose/vector.toml')) as { sinks: Record<string, { type: string; uri: string }> };
    expect(vector.sinks.lookout).toMatchObject({ type: 'http', uri: 'http://lookout:8080/v1/logs' });
    const config = await loadConfig({ file: join(REPO_ROOT, 'deploy/compose/lookout.yaml'), env: {} });
    expect(config.sinks.find((s) => s.type === 'loki')).toMatchObject({ endpoint: 'http://loki:3100' });
    expect(compose.services.lookout.volumes).toContain('./lookout.yaml:/etc/lookout/lookout.yaml:ro');
  });

  it('Kubernetes: ConfigMap, Service and StatefulSet with probes, resources and a state volume', () => {
    const docs = parseAllDocuments(read('deploy/kubernetes/lookout.yaml')).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'Service', 'StatefulSet']);
    const [configMap, service, sts] = docs;
    const config = LookoutConfigSchema.parse(parseYaml(configMap.data['lookout.yaml']));
    const pod = sts.spec.template.spec;
    const [container] = pod.containers;
    expect(sts.spec.selector.matchLabels).toEqual(sts.spec.template.metadata.labels);
    expect(service.spec.selector).toEqual(sts.spec.template.metadata.labels);
    expect(service.spec.ports.map((p: { targetPort: string }) => p.targetPort).sort()).toEqual(container.ports.map((p: { name: string }) => p.name).sort());
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toBe('1Gi');
    // The window buffer must fit under the memory limit with room for the heap's own use.
    expect(config.windows.max_buffered_bytes).toBeLessThanOrEqual(512 * 1024 * 1024);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(config.shutdown.drain_timeout_seconds);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const statePath = container.env.find((e: { name: string }) => e.name === 'LOOKOUT_ANALYSIS__STATE_PATH').value;
    const stateMount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === statePath);
    expect(sts.spec.volumeClaimTemplates.map((v: { metadata: { name: string } }) => v.metadata.name)).toContain(stateMount.name);
    expect(container.args).toEqual(['serve', '--config', '/etc/lookout/lookout.yaml']);
  });

  it('systemd unit: runs lookout serve, SIGTERM with time to drain, no restart loop on a config error; systemd-analyze verify is clean', async () => {
    const text = read('deploy/systemd/lookout.service');
    const keys = new Map<string, string>();
    let section = '';
    for (const line of text.split('\n')) {
      if (/^\[\w+\]$/.test(line)) section = line;
      else if (/^\w+=/.test(line)) keys.set(`${section}${line.slice(0, line.indexOf('='))}`, line.slice(line.indexOf('=') + 1));
    }
    expect(keys.get('[Service]ExecStart')).toMatch(/lookout serve --config \/etc\/lookout\/lookout\.yaml$/);
    expect(keys.get('[Service]KillSignal')).toBe('SIGTERM');
    expect(Number(keys.get('[Service]TimeoutStopSec'))).toBeGreaterThan(30);
    expect(keys.get('[Service]RestartPreventExitStatus')).toBe('2');
    expect(keys.get('[Service]StateDirectory')).toBe('lookout');
    expect(keys.get('[Install]WantedBy')).toBe('multi-user.target');
    // systemd-analyze comes with Debian's systemd package; where it is missing only the checks above run.
    if (!existsSync('/usr/bin/systemd-analyze')) return;
    const dir = mkdtempSync(join(tmpdir(), 'lookout-unit-'));
    try {
      copyFileSync(join(REPO_ROOT, 'deploy/systemd/lookout.service'), join(dir, 'lookout.service'));
      const r = await promisify(execFile)('systemd-analyze', ['verify', join(dir, 'lookout.service')], { timeout: 30_000 });
      expect(r.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
