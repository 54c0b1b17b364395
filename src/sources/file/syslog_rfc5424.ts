/**
 * IETF syslog lines (RFC 5424, https://datatracker.ietf.org/doc/html/rfc5424#section-6):
 * `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] message`.
 * Header fields keep the spec's names (hostname, appname, procid, msgid);
 * `-` (NILVALUE) fields are left out. STRUCTURED-DATA becomes
 * `structured_data: { <SD-ID>: { <PARAM-NAME>: value } }` with the `\"`, `\\`
 * and `\]` escapes undone; a leading UTF-8 BOM on MSG is dropped. Pure.
 */
import { parseIsoMillis } from '../timestamp.js';
import { decodePri } from './syslog_pri.js';

const HEADER = /^<(\d{1,3})>([1-9]\d?) (\S+) (\S+) (\S+) (\S+) (\S+) ?(.*)$/;
const NIL = '-';

type StructuredData = Record<string, Record<string, string>>;

/** Parses SD-ELEMENTs from the start of `text`; returns them and the offset after the last `]`, or undefined if malformed. */
function parseStructuredData(text: string): { data: StructuredData; end: number } | undefined {
  const data: StructuredData = {};
  let i = 0;
  while (text[i] === '[') {
    const idEnd = text.slice(i + 1).search(/[ \]]/);
    if (idEnd <= 0) return undefined;
    const id = text.slice(i + 1, i + 1 + idEnd);
    const params: Record<string, string> = {};
    i += 1 + idEnd;
    while (text[i] === ' ') {
      const eq = text.indexOf('="', i + 1);
      if (eq < 0) return undefined;
      const name = text.slice(i + 1, eq);
      let value = '';
      let j = eq + 2;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\' || text[j + 1] === ']')) j++;
        value += text[j];
      }
      if (j >= text.length) return undefined;
      params[name] = value;
      i = j + 1;
    }
    if (text[i] !== ']') return undefined;
    data[id] = params;
    i++;
  }
  return { data, end: i };
}

export function parseRfc5424Line(line: string): Record<string, unknown> | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const [, priText, version, stamp, hostname, appname, procid, msgid, rest] = m;
  const pri = decodePri(priText);
  if (!pri) return undefined;

  const out: Record<string, unknown> = { facility: pri.facility, severity: pri.severity, version: Number(version) };
  if (stamp !== NIL) {
    const timestamp = parseIsoMillis(stamp);
    if (timestamp === undefined) return undefined;
    out.timestamp = timestamp;
  }
  if (hostname !== NIL) out.hostname = hostname;
  if (appname !== NIL) out.appname = appname;
  if (procid !== NIL) out.procid = procid;
  if (msgid !== NIL) out.msgid = msgid;

  let msg: string;
  if (rest === NIL || rest.startsWith(`${NIL} `)) {
    msg = rest.slice(2);
  } else if (rest.startsWith('[')) {
    const sd = parseStructuredData(rest);
    if (!sd) return undefined;
    out.structured_data = sd.data;
    msg = rest.slice(rest[sd.end] === ' ' ? sd.end + 1 : sd.end);
  } else {
    return undefined;
  }
  out.message = msg.startsWith('\uFEFF') ? msg.slice(1) : msg;
  return out;
}
