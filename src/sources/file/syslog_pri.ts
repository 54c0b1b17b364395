/**
 * Syslog PRI decoding shared by the RFC 3164 and RFC 5424 parsers:
 * PRI = facility * 8 + severity (RFC 5424 §6.2.1,
 * https://datatracker.ietf.org/doc/html/rfc5424#section-6.2.1). The severity
 * stays a number (0 emergency … 7 debug), which normalize() maps to a level.
 */

/** Facility keywords in code order (RFC 5424 table 1, names as rsyslog and Vector spell them). */
const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

const MAX_PRI = 191;

export interface SyslogPri {
  facility: string;
  severity: number;
}

export function decodePri(text: string): SyslogPri | undefined {
  const pri = Number(text);
  if (!Number.isInteger(pri) || pri < 0 || pri > MAX_PRI) return undefined;
  return { facility: FACILITIES[pri >> 3], severity: pri & 7 };
}
