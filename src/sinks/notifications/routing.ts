/**
 * Notification routing: ordered rules matching severity, type and service
 * (an omitted matcher matches anything). The first matching rule wins unless
 * it sets `continue: true`, as in Alertmanager. Without configured routes the
 * common policy applies: critical → pagerduty, high and medium → slack,
 * low → file (weekly review).
 */
import { z } from 'zod';
import { SeveritySchema } from '../../analysis/anomaly.js';
import type { AnomalyRecord } from '../record.js';

export const CHANNELS = ['slack', 'pagerduty', 'webhook', 'file'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const RouteSchema = z.strictObject({
  severity: z.array(SeveritySchema).min(1).optional(),
  type: z.array(z.string().min(1)).min(1).optional(),
  service: z.array(z.string().min(1)).min(1).optional(),
  channels: z.array(z.enum(CHANNELS)).min(1),
  /** Keep evaluating later routes after this one matched. */
  continue: z.boolean().default(false),
});
export type Route = z.output<typeof RouteSchema>;

export const DEFAULT_ROUTES: Route[] = [
  { severity: ['critical'], channels: ['pagerduty'], continue: false },
  { severity: ['high', 'medium'], channels: ['slack'], continue: false },
  { severity: ['low'], channels: ['file'], continue: false },
];

function matches(route: Route, record: AnomalyRecord): boolean {
  return (
    (!route.severity || route.severity.includes(record.anomaly.severity)) &&
    (!route.type || route.type.includes(record.anomaly.type)) &&
    (!route.service || route.service.includes(record.service.name))
  );
}

/** Channels an anomaly goes to, without duplicates, in route order. */
export function routeChannels(record: AnomalyRecord, routes: readonly Route[]): ChannelName[] {
  const out = new Set<ChannelName>();
  for (const route of routes) {
    if (!matches(route, record)) continue;
    for (const c of route.channels) out.add(c);
    if (!route.continue) break;
  }
  return [...out];
}
