import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSinkMetrics } from '../../src/sinks/delivery/metrics.js';
import { createMetrics } from '../../src/telemetry/metrics.js';

const dashboard = JSON.parse(readFileSync(new URL('../../examples/grafana-dashboard.json', import.meta.url), 'utf8')) as {
  panels: Array<{ id: number; type: string; gridPos: object; targets?: Array<{ expr: string }> }>;
};

describe('examples/grafana-dashboard.json', () => {
  it('only queries metrics Lookout registers, with the right suffixes', async () => {
    const metrics = createMetrics();
    createSinkMetrics(metrics.registry);
    const known = new Map((await metrics.registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThan(10);
    const used = new Set(exprs.flatMap((e) => e.match(/lookout_[a-z_]+/g) ?? []));
    for (const name of used) {
      const base = name.replace(/_bucket$/, '');
      expect(known.has(base), `${name} is not a Lookout metric`).toBe(true);
      if (name.endsWith('_bucket')) expect(known.get(base)).toBe('histogram');
    }
    for (const name of ['lookout_anomalies_emitted_total', 'lookout_sink_records_sent_total', 'lookout_sink_queued_records', 'lookout_sink_records_dropped_total']) {
      expect(used.has(name)).toBe(true);
    }
  });

  it('has unique panel ids and a position for every panel', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.panels.every((p) => p.gridPos)).toBe(true);
  });
});
