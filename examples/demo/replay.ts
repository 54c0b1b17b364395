/**
 * Replays a scenario through a running Lookout the way production traffic
 * arrives: Lookout is started in-process on the embedded detector with an
 * event-time, five-minute window config, the scenario is POSTed to its HTTP
 * source by the Vector client (./vector_client.ts), and Lookout is shut down,
 * which flushes every open window through analysis. Anomaly records are
 * collected from the topology's emitter hook in the order they are emitted.
 */
import type { LookoutConfig } from '../../src/config/schema.js';
import { LookoutConfigSchema } from '../../src/config/schema.js';
import type { AnomalyRecord } from '../../src/sinks/record.js';
import { parseTimestamp } from '../../src/sources/timestamp.js';
import { createLogger } from '../../src/telemetry/log.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { startLookout, type ShutdownReport } from '../../src/topology/index.js';
import type { Scenario } from './scenario.js';
import type { StreamTime } from './score.js';
import { sendEvents, type SendReport } from './vector_client.js';

export const WINDOW_SECONDS = 300;

/** The demo's configuration, built in code: what a YAML file with these keys would give. */
export function demoConfig(): LookoutConfig {
  return LookoutConfigSchema.parse({
    sources: { http: { address: '127.0.0.1', port: 0 }, forward: { enabled: false } },
    windows: { time: 'event', duration_seconds: WINDOW_SECONDS },
  });
}

export interface ReplayOptions {
  config?: LookoutConfig;
  /** Called with each anomaly record as Lookout emits it. */
  onAnomaly?: (record: AnomalyRecord) => void;
}

export interface ReplayResult {
  anomalies: AnomalyRecord[];
  sent: SendReport;
  shutdown: ShutdownReport;
}

export async function replayScenario(scenario: Scenario<string>, opts: ReplayOptions = {}): Promise<ReplayResult> {
  const config = opts.config ?? demoConfig();
  const anomalies: AnomalyRecord[] = [];
  const lookout = await startLookout(config, {
    logger: createLogger(process.env.LOOKOUT_LOG_LEVEL ?? 'warn'),
    metrics: createMetrics({ defaultMetrics: false }),
    emitter: {
      async emit(records) {
        for (const r of records) {
          anomalies.push(r);
          opts.onAnomaly?.(r);
        }
      },
      async close() {},
    },
  });
  const http = lookout.http;
  // Shut down even after a failed send, so no listener keeps the process alive.
  const sending = http
    ? sendEvents(`http://${http.address}:${http.port}/`, scenario.events)
    : Promise.reject(new Error('the demo needs the HTTP source enabled'));
  const [outcome] = await Promise.allSettled([sending]);
  const shutdown = await lookout.shutdown();
  if (outcome.status === 'rejected') throw outcome.reason;
  const sent = outcome.value;
  return { anomalies, sent, shutdown };
}

/** Each event's stream and time, for window-level scoring. */
export function* streamTimes(scenario: Scenario<string>): Iterable<StreamTime> {
  for (const e of scenario.events) yield { service: e.service, host: e.host, time: parseTimestamp(e.timestamp) ?? Date.parse(e.timestamp) };
}
