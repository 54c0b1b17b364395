/**
 * HTTP access logs in the Common and Combined Log Formats, as Apache httpd
 * (https://httpd.apache.org/docs/2.4/logs.html#accesslog) and nginx's default
 * `combined` log_format (https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format) write them:
 * `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://ref/" "Mozilla/5.0"`.
 * Fields: client, user, method, path, protocol, status, bytes, and referer
 * and user_agent (combined); anything nginx appends after them is kept in
 * the message. The level follows the status: 5xx error, 4xx warn, else info.
 * The message is the line without its timestamp, so lines of one request
 * shape mine into one template. Pure.
 */
import { MONTH_NAMES, MONTHS, utcMillis, zoneOffsetMinutes } from './calendar.js';

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const LINE = new RegExp(
  String.raw`^(\S+) (\S+) (\S+) \[(\d{2})/(${MONTH_NAMES})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] ${QUOTED} (\d{3}) (\d+|-)(?: ${QUOTED} ${QUOTED})?(.*)$`,
);
const REQUEST = /^(\S+) (\S+)(?: (\S+))?$/;

export function parseAccessLogLine(line: string): Record<string, unknown> | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const [, client, , user, day, mon, year, h, mi, s, zone, request, statusText, bytes, referer, agent] = m;
  const timestamp = utcMillis(+year, MONTHS[mon], +day, +h, +mi, +s, '', zoneOffsetMinutes(zone));
  if (timestamp === undefined) return undefined;
  const status = Number(statusText);
  const out: Record<string, unknown> = {
    timestamp,
    level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
    client,
    status,
  };
  if (user !== '-') out.user = user;
  const req = REQUEST.exec(request);
  if (req) {
    out.method = req[1];
    out.path = req[2];
    if (req[3] !== undefined) out.protocol = req[3];
  }
  if (bytes !== '-') out.bytes = Number(bytes);
  if (referer !== undefined && referer !== '-') out.referer = referer;
  if (agent !== undefined && agent !== '-') out.user_agent = agent;
  const stampStart = line.indexOf(' [');
  const stampEnd = line.indexOf('] ', stampStart);
  out.message = line.slice(0, stampStart) + line.slice(stampEnd + 1);
  return out;
}
