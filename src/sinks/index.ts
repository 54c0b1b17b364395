/**
 * Sinks entry point: builds every configured pipeline sink and notification
 * channel and returns the AnomalyEmitter the topology calls. Also the factory
 * for a single sink (`createSink`), for tools that want one.
 */
import type { Writable } from 'node:stream';
import { SEVERITY_RANK } from '../analysis/anomaly.js';
import type { NotificationsConfig, SinkConfig, SinksConfig } from './config.js';
import { createSinkMetrics } from './delivery/metrics.js';
import type { SinkDeps } from './delivery/queued-sink.js';
import { createElasticsearchSink } from './elasticsearch/sink.js';
import { AnomalyEmitter } from './emitter.js';
import { createFileSink } from './file/sink.js';
import { createForwardSink } from './forward/sink.js';
import { createHttpSink } from './http/sink.js';
import { createLokiSink } from './loki/sink.js';
import { DEFAULT_ROUTES, type ChannelName } from './notifications/routing.js';
import { Suppressor } from './notifications/suppression.js';
import { createPagerDutySink } from './pagerduty/sink.js';
import type { Sink } from './sink.js';
import { createSlackSink } from './slack/sink.js';
import { createStdoutSink } from './stdout/sink.js';

export type CreateSinksDeps = SinkDeps & {
  /** Where the stdout sink writes; process.stdout by default. */
  stdout?: Writable;
};

export function createSink(config: SinkConfig, deps: CreateSinksDeps): Sink {
  const name = config.name ?? config.type;
  switch (config.type) {
    case 'stdout':
      return createStdoutSink(name, config, deps);
    case 'file':
      return createFileSink(name, config, deps);
    case 'http':
      return createHttpSink(name, config, deps);
    case 'forward':
      return createForwardSink(name, config, deps);
    case 'loki':
      return createLokiSink(name, config, deps);
    case 'elasticsearch':
      return createElasticsearchSink(name, config, deps);
  }
}

function createChannels(n: NotificationsConfig, deps: CreateSinksDeps): Map<ChannelName, Sink> {
  const channels = new Map<ChannelName, Sink>();
  if (n.slack) channels.set('slack', createSlackSink('notifications.slack', n.slack, deps));
  if (n.pagerduty) channels.set('pagerduty', createPagerDutySink('notifications.pagerduty', n.pagerduty, deps));
  if (n.webhook) channels.set('webhook', createHttpSink('notifications.webhook', n.webhook, deps));
  if (n.file) channels.set('file', createFileSink('notifications.file', n.file, deps));
  return channels;
}

export function createSinks(config: { sinks: SinksConfig; notifications: NotificationsConfig }, deps: CreateSinksDeps): AnomalyEmitter {
  const channels = createChannels(config.notifications, deps);
  const routes = config.notifications.routes ?? DEFAULT_ROUTES;
  if (!config.notifications.routes && channels.size > 0) {
    const skipped = DEFAULT_ROUTES.flatMap((r) => r.channels).filter((c) => !channels.has(c));
    if (skipped.length > 0) deps.logger.info({ skipped }, 'default notification routes skip these channels: not configured, so those severities are not notified');
  }
  return new AnomalyEmitter({
    pipeline: config.sinks.map((c) => ({ sink: createSink(c, deps), minSeverityRank: SEVERITY_RANK[c.min_severity], applySuppression: c.apply_suppression, redact: c.redact })),
    channels,
    routes,
    suppressor: new Suppressor(config.notifications.suppression_minutes * 60_000, config.notifications.suppression_max_keys, deps.now),
    redaction: config.notifications.redaction,
    metrics: deps.metrics,
    sinkMetrics: createSinkMetrics(deps.metrics.registry),
    logger: deps.logger,
  });
}

export { AnomalyEmitter } from './emitter.js';
export { SinkConfigSchema, SinksConfigSchema, NotificationsConfigSchema, type SinkConfig, type SinksConfig, type NotificationsConfig } from './config.js';
export { createSinkMetrics, type SinkMetrics } from './delivery/metrics.js';
export type { SinkDeps } from './delivery/queued-sink.js';
export { suppressionKey, Suppressor } from './notifications/suppression.js';
export { redactRecord, NotificationRedactionConfigSchema, type NotificationRedactionConfig } from './notifications/redact.js';
export { routeChannels, DEFAULT_ROUTES, RouteSchema, type Route, type ChannelName } from './notifications/routing.js';
