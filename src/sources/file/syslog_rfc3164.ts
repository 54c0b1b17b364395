/**
 * BSD syslog lines (RFC 3164, https://datatracker.ietf.org/doc/html/rfc3164):
 * `<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed`, and the same
 * without PRI as written to /var/log/syslog and /var/log/messages. rsyslog's
 * high-precision variant (an RFC 3339 timestamp in place of `Mmm dd hh:mm:ss`,
 * the Debian/Ubuntu default since rsyslog 8) is accepted too.
 *
 * The classic timestamp has no year and no zone: the year is `now`'s year, or
 * the previous one when that would put the line more than a day in the future
 * (a December line read in January); the zone is taken as UTC, like every
 * zone-less timestamp in Lookout (../timestamp.ts). The HOSTNAME is optional
 * (local senders omit it); the TAG (`ident[pid]:`) is required when the line
 * has no PRI, so free text starting with a date is not taken for syslog. Pure.
 */
import { parseIsoMillis } from '../timestamp.js';
import { MONTHS } from './calendar.js';
import { decodePri } from './syslog_pri.js';

const HEADER =
  /^(?:<(\d{1,3})>)?(?:(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?)) +(.*)$/;
const TAG = /^([^\s[\]:]+)(?:\[([^\]]*)\])?: ?/;

/** A line dated up to this far ahead of `now` is clock skew, not last year. */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

function inferYearMillis(month: number, day: number, h: number, mi: number, s: number, now: number): number {
  const year = new Date(now).getUTCFullYear();
  const ms = Date.UTC(year, month, day, h, mi, s);
  return ms > now + FUTURE_SLACK_MS ? Date.UTC(year - 1, month, day, h, mi, s) : ms;
}

export function parseRfc3164Line(line: string, now: number = Date.now()): Record<string, unknown> | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const [, priText, mon, day, h, mi, s, iso, rest] = m;
  const pri = priText === undefined ? undefined : decodePri(priText);
  if (priText !== undefined && !pri) return undefined;

  const timestamp = iso ? parseIsoMillis(iso) : inferYearMillis(MONTHS[mon], +day, +h, +mi, +s, now);
  if (timestamp === undefined) return undefined;

  let hostname: string | undefined;
  let body = rest;
  if (!TAG.test(body)) {
    const space = body.indexOf(' ');
    if (space > 0) {
      hostname = body.slice(0, space);
      body = body.slice(space + 1);
    }
  }
  const tag = TAG.exec(body);
  if (!tag && !pri) return undefined;

  const out: Record<string, unknown> = { timestamp };
  if (hostname !== undefined) out.hostname = hostname;
  if (tag) {
    out.ident = tag[1];
    if (tag[2] !== undefined && tag[2] !== '') out.pid = tag[2];
    body = body.slice(tag[0].length);
  }
  if (pri) {
    out.facility = pri.facility;
    out.severity = pri.severity;
  }
  out.message = body;
  return out;
}
