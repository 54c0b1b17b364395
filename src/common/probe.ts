/**
 * Reachability probes for the endpoints Lookout sends to, in the spirit of
 * Vector's sink healthchecks (https://vector.dev/docs/reference/configuration/sinks/http/#healthcheck):
 * one bounded attempt, no retries, nothing sent that a receiver would act on
 * (a HEAD or GET, or a bare TCP connect). Used by `lookout config check
 * --connect` and by `lookout serve` at start-up (warnings, /readyz).
 */
import { Socket } from 'node:net';

export interface ProbeResult {
  /** `sink`, `notification` or `llm`. */
  kind: string;
  /** The configured name: `loki`, `notifications.slack`, `analysis.llm`. */
  name: string;
  /** What was tried: a URL, host:port or path. */
  target: string;
  ok: boolean;
  /** The answer (HTTP status, models listed) or why it failed. */
  detail: string;
}

export type ProbeOutcome = Pick<ProbeResult, 'ok' | 'detail'>;

/** An HTTP answer counts as success when `accept` says so (default: any status below 500, auth refusals excepted). */
export async function probeHttp(
  url: string,
  opts: { method?: 'GET' | 'HEAD'; headers?: Record<string, string>; timeoutMs: number; accept?: (status: number) => boolean },
): Promise<ProbeOutcome> {
  const accept = opts.accept ?? ((s: number) => s < 500 && s !== 401 && s !== 403);
  try {
    const res = await fetch(url, { method: opts.method ?? 'HEAD', headers: opts.headers, signal: AbortSignal.timeout(opts.timeoutMs) });
    await res.body?.cancel();
    const detail = `HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (credentials refused)' : ''}`;
    return { ok: accept(res.status), detail };
  } catch (err) {
    return { ok: false, detail: errorText(err, opts.timeoutMs) };
  }
}

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (outcome: ProbeOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, detail: `no answer within ${timeoutMs} ms` }));
    socket.once('error', (err) => done({ ok: false, detail: errorText(err, timeoutMs) }));
    socket.connect(port, host, () => done({ ok: true, detail: 'TCP connect' }));
  });
}

/** The useful part of a fetch or socket error: undici hides ECONNREFUSED in `cause`. */
export function errorText(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
  const code = cause?.code ?? (err as NodeJS.ErrnoException | undefined)?.code;
  const message = cause?.message ?? (err instanceof Error ? err.message : String(err));
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
