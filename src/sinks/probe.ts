/**
 * Reachability check of every configured pipeline sink and notification
 * channel, one bounded attempt each, sending nothing a receiver would act on:
 * Loki `GET /ready` and Elasticsearch `GET /_cluster/health` (the endpoints
 * Vector's own healthchecks use, https://vector.dev/docs/reference/configuration/sinks/loki/#healthcheck),
 * `HEAD` on HTTP, Slack and PagerDuty URLs (any answer below 500 except 401/403
 * means the endpoint is there), a TCP connect for Forward, and a writable
 * directory for files.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { probeHttp, probeTcp, type ProbeOutcome, type ProbeResult } from '../common/probe.js';
import type { NotificationsConfig, SinkConfig, SinksConfig } from './config.js';
import { authHeaders } from './delivery/auth.js';

function base(endpoint: string, path: string): string {
  return `${endpoint.replace(/\/+$/, '')}${path}`;
}

async function probeDirectory(path: string): Promise<ProbeOutcome> {
  try {
    await access(dirname(path), constants.W_OK);
    return { ok: true, detail: 'directory writable' };
  } catch (err) {
    return { ok: false, detail: `directory ${dirname(path)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
}

function sinkCheck(config: SinkConfig, timeoutMs: number): { target: string; run: () => Promise<ProbeOutcome> } {
  switch (config.type) {
    case 'stdout':
      return { target: 'stdout', run: async () => ({ ok: true, detail: 'always available' }) };
    case 'file':
      return { target: config.path, run: () => probeDirectory(config.path) };
    case 'http':
      return { target: config.uri, run: () => probeHttp(config.uri, { headers: { ...config.headers, ...authHeaders(config.auth) }, timeoutMs }) };
    case 'forward':
      return { target: `${config.host}:${config.port}`, run: () => probeTcp(config.host, config.port, timeoutMs) };
    case 'loki': {
      const url = base(config.endpoint, '/ready');
      const headers = { ...config.headers, ...authHeaders(config.auth), ...(config.tenant_id ? { 'x-scope-orgid': config.tenant_id } : {}) };
      return { target: url, run: () => probeHttp(url, { method: 'GET', headers, timeoutMs, accept: (s) => s >= 200 && s < 300 }) };
    }
    case 'elasticsearch': {
      const url = base(config.endpoint, '/_cluster/health');
      return { target: url, run: () => probeHttp(url, { method: 'GET', headers: { ...config.headers, ...authHeaders(config.auth) }, timeoutMs, accept: (s) => s >= 200 && s < 300 }) };
    }
  }
}

function channelChecks(n: NotificationsConfig, timeoutMs: number): Array<{ name: string; target: string; run: () => Promise<ProbeOutcome> }> {
  const out = [];
  if (n.slack) {
    const url = n.slack.webhook_url;
    // The webhook path is the credential: only its origin is shown.
    out.push({ name: 'notifications.slack', target: `${new URL(url).origin}/…`, run: () => probeHttp(url, { timeoutMs }) });
  }
  if (n.pagerduty) {
    const url = n.pagerduty.endpoint;
    out.push({ name: 'notifications.pagerduty', target: url, run: () => probeHttp(url, { timeoutMs }) });
  }
  if (n.webhook) {
    const hook = n.webhook;
    out.push({ name: 'notifications.webhook', target: hook.uri, run: () => probeHttp(hook.uri, { headers: { ...hook.headers, ...authHeaders(hook.auth) }, timeoutMs }) });
  }
  if (n.file) {
    const path = n.file.path;
    out.push({ name: 'notifications.file', target: path, run: () => probeDirectory(path) });
  }
  return out;
}

/** Checks run in parallel; results keep the configuration's order (sinks, then channels). */
export async function probeSinks(config: { sinks: SinksConfig; notifications: NotificationsConfig }, timeoutMs: number): Promise<ProbeResult[]> {
  const checks = [
    ...config.sinks.map((s) => ({ kind: 'sink', name: s.name ?? s.type, ...sinkCheck(s, timeoutMs) })),
    ...channelChecks(config.notifications, timeoutMs).map((c) => ({ kind: 'notification', ...c })),
  ];
  return Promise.all(checks.map(async ({ run, ...c }) => ({ ...c, ...(await run()) })));
}
