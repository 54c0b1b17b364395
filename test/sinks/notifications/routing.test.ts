import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTES, routeChannels, RouteSchema } from '../../../src/sinks/notifications/routing.js';
import { anomalyRecord } from '../support/helpers.js';

describe('routeChannels', () => {
  it('applies the default policy: critical → pagerduty, high/medium → slack, low → file', () => {
    expect(routeChannels(anomalyRecord({ severity: 'critical' }), DEFAULT_ROUTES)).toEqual(['pagerduty']);
    expect(routeChannels(anomalyRecord({ severity: 'high' }), DEFAULT_ROUTES)).toEqual(['slack']);
    expect(routeChannels(anomalyRecord({ severity: 'medium' }), DEFAULT_ROUTES)).toEqual(['slack']);
    expect(routeChannels(anomalyRecord({ severity: 'low' }), DEFAULT_ROUTES)).toEqual(['file']);
  });

  it('matches severity, type and service; first match wins unless it continues', () => {
    const routes = [
      { service: ['checkout'], type: ['silence'], channels: ['pagerduty', 'slack'] },
      { severity: ['critical', 'high'], channels: ['slack'], continue: true },
      { channels: ['webhook'] },
    ].map((r) => RouteSchema.parse(r));
    expect(routeChannels(anomalyRecord({ service: 'checkout', type: 'silence', severity: 'low' }), routes)).toEqual(['pagerduty', 'slack']);
    expect(routeChannels(anomalyRecord({ service: 'checkout', type: 'error_burst', severity: 'critical' }), routes)).toEqual(['slack', 'webhook']);
    expect(routeChannels(anomalyRecord({ severity: 'medium' }), routes)).toEqual(['webhook']);
    expect(routeChannels(anomalyRecord({ severity: 'medium' }), [])).toEqual([]);
  });

  it('validates routes strictly', () => {
    expect(() => RouteSchema.parse({ channels: [] })).toThrow();
    expect(() => RouteSchema.parse({ channels: ['email'] })).toThrow();
    expect(() => RouteSchema.parse({ channels: ['slack'], severities: ['low'] })).toThrow();
  });
});
