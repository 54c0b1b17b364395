/**
 * Apache httpd error log lines (https://httpd.apache.org/docs/2.4/logs.html#errorlog):
 * 2.2 and earlier `[Sun Dec 04 04:47:44 2005] [error] [client 10.0.0.1] message`,
 * 2.4 `[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5280] AH00124: message`
 * (the default ErrorLogFormat). The level becomes `level` (`trace1`…`trace8`
 * read as trace), the 2.4 module `component`, and the optional pid, tid and
 * client brackets their own fields. The time has no zone: read as UTC. Pure.
 */
import { MONTH_NAMES, MONTHS, utcMillis, WEEKDAY_NAMES } from './calendar.js';

const HEADER = new RegExp(
  String.raw`^\[(?:(?:${WEEKDAY_NAMES}) )?(${MONTH_NAMES}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\d{4})\] \[(?:([\w.-]+):)?([a-z]+\d?)\] ?(.*)$`,
);
const PID = /^\[pid (\d+)(?::tid (\d+))?\] ?/;
const CLIENT = /^\[client ([^\]]+)\] ?/;
const LEVELS = new Set(['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug']);

export function parseApacheErrorLine(line: string): Record<string, unknown> | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const [, mon, day, h, mi, s, frac, year, module, levelWord] = m;
  const level = /^trace[1-8]$/.test(levelWord) ? 'trace' : levelWord;
  if (level !== 'trace' && !LEVELS.has(level)) return undefined;
  const timestamp = utcMillis(+year, MONTHS[mon], +day, +h, +mi, +s, frac);
  if (timestamp === undefined) return undefined;
  const out: Record<string, unknown> = { timestamp, level };
  if (module !== undefined) out.component = module;
  let rest = m[10];
  const pid = PID.exec(rest);
  if (pid) {
    out.pid = pid[1];
    if (pid[2] !== undefined) out.tid = pid[2];
    rest = rest.slice(pid[0].length);
  }
  const client = CLIENT.exec(rest);
  if (client) {
    out.client = client[1];
    rest = rest.slice(client[0].length);
  }
  out.message = rest;
  return out;
}
