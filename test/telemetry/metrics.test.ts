import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { register as globalRegistry } from 'prom-client';
import { NotificationsConfigSchema, SinksConfigSchema } from '../../src/sinks/config.js';
import { createSinks } from '../../src/sinks/index.js';
import { BoundedLabel, createMetrics, MAX_LABEL_VALUES } from '../../src/telemetry/metrics.js';
import { anomalyRecord, metricValue, testDeps } from '../sinks/support/helpers.js';

describe('metrics', () => {
  it("exposes prom-client's default process and Node metrics under their standard names", async () => {
    const metrics = createMetrics({ defaultMetrics: true });
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_version_info']) {
      expect(names).toContain(name);
    }
    expect(names.filter((n) => n.startsWith('lookout_process_') || n.startsWith('lookout_nodejs_'))).toEqual([]);
    // Per-instance registries: nothing lands in prom-client's global one.
    expect(await globalRegistry.getMetricsAsJSON()).toEqual([]);
  });

  it('counts emitted anomalies by sink, severity, service and type', async () => {
    const deps = testDeps();
    const emitter = createSinks({ sinks: SinksConfigSchema.parse([{ type: 'stdout' }]), notifications: NotificationsConfigSchema.parse({}) }, { ...deps, stdout: new PassThrough().resume() });
    await emitter.emit([
      anomalyRecord({ service: 'payments', type: 'error_surge', severity: 'high' }),
      anomalyRecord({ service: 'payments', type: 'error_surge', severity: 'high' }),
      anomalyRecord({ service: 'search', type: 'new_template', severity: 'low' }),
    ]);
    await emitter.close(1000);
    const emitted = (labels: Record<string, string>) => metricValue(deps, 'lookout_anomalies_emitted_total', labels);
    expect(await emitted({ sink: 'stdout', service: 'payments', type: 'error_surge', severity: 'high' })).toBe(2);
    expect(await emitted({ service: 'search', type: 'new_template' })).toBe(1);
    const text = await deps.metrics.registry.metrics();
    expect(text).toContain('lookout_anomalies_emitted_total{sink="stdout",severity="low",service="search",type="new_template"} 1');
  });

  it('caps label values fed by log content or a model, so series stay bounded', () => {
    const label = new BoundedLabel(2);
    expect(['a', 'b', 'c', 'a', 'd', 'b'].map((v) => label.value(v))).toEqual(['a', 'b', 'other', 'a', 'other', 'b']);
    expect(MAX_LABEL_VALUES.type).toBeLessThanOrEqual(MAX_LABEL_VALUES.service);
  });
});
