/**
 * Supercomputer RAS / system logs in the shape of the public Blue Gene/L and
 * Thunderbird logs (Oliner & Stearley, "What Supercomputers Say", DSN 2007,
 * https://www.usenix.org/legacy/event/dsn07/tech/full_papers/oliner/oliner.pdf).
 * Both start with an alert label (`-` for none) and an epoch-seconds time:
 * - BGL: `- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected`
 *   → host = node, `type` (RAS), `component` (KERNEL, APP, …), level
 *   (INFO, WARNING, SEVERE, ERROR, FATAL; FAILURE reads as critical);
 * - Thunderbird: `- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root`
 *   → host = node, then a syslog body (`ident[pid]: message`; ident names the service as in syslog).
 * The epoch field is the time (BGL adds the microseconds of its local
 * timestamp); a non-`-` label is kept as `alert_label`. Pure.
 */
import { MONTH_NAMES } from './calendar.js';

const BGL =
  /^(\S+) (\d{9,10}) \d{4}\.\d{2}\.\d{2} (\S+) \d{4}-\d{2}-\d{2}-\d{2}\.\d{2}\.\d{2}\.(\d{6}) \S+ (\S+) (\S+) ([A-Z]+)(?: (.*))?$/;
const THUNDERBIRD = new RegExp(String.raw`^(\S+) (\d{9,10}) \d{4}\.\d{2}\.\d{2} (\S+) (?:${MONTH_NAMES}) {1,2}\d{1,2} \d{2}:\d{2}:\d{2} (\S+) (.*)$`);
const TAG = /^([^\s[\]:]+)(?:\[(\d+)\])?: ?/;
const BGL_LEVELS: Record<string, string> = {
  INFO: 'info', WARNING: 'warn', SEVERE: 'error', ERROR: 'error', FATAL: 'fatal', FAILURE: 'critical',
};

function withLabel(out: Record<string, unknown>, label: string): Record<string, unknown> {
  if (label !== '-') out.alert_label = label;
  return out;
}

export function parseBglLine(line: string): Record<string, unknown> | undefined {
  const m = BGL.exec(line);
  if (!m) return undefined;
  const [, label, epoch, node, micros, type, component, levelWord, message = ''] = m;
  const level = BGL_LEVELS[levelWord];
  if (level === undefined) return undefined;
  return withLabel({ timestamp: Number(epoch) * 1000 + Number(micros) / 1000, host: node, type, component, level, message }, label);
}

export function parseThunderbirdLine(line: string): Record<string, unknown> | undefined {
  const m = THUNDERBIRD.exec(line);
  if (!m) return undefined;
  const [, label, epoch, node, location, body] = m;
  const out = withLabel({ timestamp: Number(epoch) * 1000, host: node, location }, label);
  const tag = TAG.exec(body);
  if (tag) {
    out.ident = tag[1];
    if (tag[2] !== undefined) out.pid = tag[2];
    out.message = body.slice(tag[0].length);
  } else {
    out.message = body;
  }
  return out;
}
