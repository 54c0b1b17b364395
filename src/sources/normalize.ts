/**
 * Normalization: map one decoded record (any JSON-like field map) onto a LogRecord.
 *
 * Every source decodes its wire format into plain field maps and calls
 * `normalize`, so level, service, host and timestamp are found the same way
 * whether a record came from Vector, Fluent Bit or a file. Field lookups take
 * dotted paths; a flat key spelled with dots (`"log.level"`) wins over nesting.
 * Pure: no I/O, no clock reads beyond the `observedAt` the caller passes.
 */
import { z } from 'zod';
import type { Level, LogRecord, SourceKind } from './record.js';
import { parseTimestamp } from './timestamp.js';

export const NormalizeConfigSchema = z
  .object({
    timestamp_fields: z.array(z.string().min(1)).default(['timestamp', '@timestamp', 'date', 'time', 'ts']),
    message_fields: z.array(z.string().min(1)).default(['message', 'log', 'msg', 'short_message', 'MESSAGE']),
    level_fields: z
      .array(z.string().min(1))
      .default(['level', 'severity', 'log.level', 'levelname', 'lvl', 'loglevel', 'syslog.severity', 'PRIORITY']),
    service_fields: z
      .array(z.string().min(1))
      .default([
        'service',
        'service.name',
        'app',
        'kubernetes.labels.app',
        'kubernetes.pod_labels.app',
        'kubernetes.labels.app.kubernetes.io/name',
        'kubernetes.pod_labels.app.kubernetes.io/name',
        'kubernetes.container_name',
        'container_name',
        'appname',
        'ident',
        'SYSLOG_IDENTIFIER',
      ]),
    host_fields: z
      .array(z.string().min(1))
      .default(['host', 'hostname', 'host.name', 'kubernetes.pod_node_name', 'kubernetes.host', '_HOSTNAME']),
    /** Service used when no field and no tag names one. */
    default_service: z.string().min(1).default('unknown'),
    default_host: z.string().min(1).default('unknown'),
  })
  .strict();
export type NormalizeConfig = z.infer<typeof NormalizeConfigSchema>;

export const DEFAULT_NORMALIZE: NormalizeConfig = NormalizeConfigSchema.parse({});

export interface NormalizeContext {
  source: SourceKind;
  observedAt: number;
  tag?: string;
  /** Event time the transport carried outside the record (Forward time, msgpack EventTime), epoch ms. */
  transportTime?: number;
  /** Size of the record on the wire, when the decoder knows it. */
  rawSize?: number;
}

/** Looks a dotted path up: the literal key first, then the nested path, then longer literal prefixes. */
export function getPath(obj: Record<string, unknown>, path: string): unknown {
  const direct = obj[path];
  if (direct !== undefined) return direct;
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  for (let i = dot; i >= 0; i = path.indexOf('.', i + 1)) {
    const head = obj[path.slice(0, i)];
    if (head !== null && typeof head === 'object' && !Array.isArray(head)) {
      const found = getPath(head as Record<string, unknown>, path.slice(i + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * A field path prepared once per configuration: most records lack most
 * configured fields, so a lookup first checks the path's top-level key and
 * gives up at once when neither it nor the literal dotted key is there.
 */
interface CompiledPath {
  path: string;
  top: string;
}

function compile(paths: readonly string[]): CompiledPath[] {
  return paths.map((path) => ({ path, top: path.includes('.') ? path.slice(0, path.indexOf('.')) : path }));
}

function lookup(obj: Record<string, unknown>, p: CompiledPath): unknown {
  if (obj[p.top] === undefined && p.top === p.path) return undefined;
  if (obj[p.top] === undefined && obj[p.path] === undefined) return undefined;
  return getPath(obj, p.path);
}

interface CompiledConfig {
  timestamp: CompiledPath[];
  message: CompiledPath[];
  level: CompiledPath[];
  service: CompiledPath[];
  host: CompiledPath[];
}

const compiled = new WeakMap<NormalizeConfig, CompiledConfig>();

function compiledFor(cfg: NormalizeConfig): CompiledConfig {
  let c = compiled.get(cfg);
  if (!c) {
    c = {
      timestamp: compile(cfg.timestamp_fields),
      message: compile(cfg.message_fields),
      level: compile(cfg.level_fields),
      service: compile(cfg.service_fields),
      host: compile(cfg.host_fields),
    };
    compiled.set(cfg, c);
  }
  return c;
}

function firstString(obj: Record<string, unknown>, paths: readonly CompiledPath[]): { value: string; path: string } | undefined {
  for (const p of paths) {
    const v = lookup(obj, p);
    if (typeof v === 'string' && v.length > 0) return { value: v, path: p.path };
    if (typeof v === 'number' || typeof v === 'boolean') return { value: String(v), path: p.path };
  }
  return undefined;
}

const LEVEL_WORDS: Record<string, Level> = {
  trace: 'trace', debug: 'debug', dbg: 'debug', verbose: 'debug', fine: 'debug', finer: 'trace', finest: 'trace',
  info: 'info', information: 'info', informational: 'info', i: 'info', notice: 'notice',
  warn: 'warn', warning: 'warn', w: 'warn',
  error: 'error', err: 'error', e: 'error', severe: 'error',
  critical: 'critical', crit: 'critical', alert: 'critical', emerg: 'fatal', emergency: 'fatal',
  fatal: 'fatal', panic: 'fatal', f: 'fatal',
};

/** Syslog severities 0..7 (RFC 5424 §6.2.1). */
const SYSLOG_LEVELS: Level[] = ['fatal', 'critical', 'critical', 'error', 'warn', 'notice', 'info', 'debug'];

/** Maps a level field's value (word, syslog number or pino/bunyan number) to a Level. */
export function levelFromValue(v: unknown): Level | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (v >= 10) {
      // pino / bunyan: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal
      if (v >= 60) return 'fatal';
      if (v >= 50) return 'error';
      if (v >= 40) return 'warn';
      if (v >= 30) return 'info';
      if (v >= 20) return 'debug';
      return 'trace';
    }
    return SYSLOG_LEVELS[Math.max(0, Math.min(7, Math.trunc(v)))];
  }
  if (typeof v !== 'string') return undefined;
  const word = v.trim().toLowerCase();
  if (/^\d+$/.test(word)) return levelFromValue(Number(word));
  return LEVEL_WORDS[word];
}

const MESSAGE_LEVEL = /\b(FATAL|PANIC|EMERG|CRITICAL|CRIT|SEVERE|ERROR|ERR|WARNING|WARN|NOTICE|INFO|DEBUG|TRACE)\b/i;
const MESSAGE_LEVEL_SCAN = 160;

/** Infers a level from message text: a level word near the start, or words that mean failure. */
export function levelFromMessage(message: string): Level {
  const head = message.length > MESSAGE_LEVEL_SCAN ? message.slice(0, MESSAGE_LEVEL_SCAN) : message;
  const m = MESSAGE_LEVEL.exec(head);
  if (m) {
    const word = m[1];
    // A lower-case "error" mid-sentence is weaker evidence than an upper-case token, but still the best we have.
    return LEVEL_WORDS[word.toLowerCase()] ?? 'unknown';
  }
  if (/\b(exception|traceback|segfault|panicked|out of memory)\b/i.test(head)) return 'error';
  return 'unknown';
}

function messageText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `/var/log/app/checkout.log` → `checkout`: the file a line came from names its service when nothing else does. */
function serviceFromPath(path: string): string {
  const cut = path.lastIndexOf('/');
  const name = cut >= 0 ? path.slice(cut + 1) : path;
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Service from a Forward / Fluent Bit tag: `kube.var.log.containers.api-7f…` → `api-7f…`, `app.payments` → `payments`. */
export function serviceFromTag(tag: string): string {
  const parts = tag.split('.').filter((p) => p.length > 0);
  return parts.length > 0 ? parts[parts.length - 1] : tag;
}

export function normalize(raw: Record<string, unknown>, ctx: NormalizeContext, cfg: NormalizeConfig = DEFAULT_NORMALIZE): LogRecord {
  const paths = compiledFor(cfg);

  const msgHit = firstString(raw, paths.message);
  let message: string;
  if (msgHit) {
    message = msgHit.value;
  } else {
    let structured: unknown;
    for (const p of paths.message) {
      structured = lookup(raw, p);
      if (structured !== undefined && structured !== null) break;
    }
    message = messageText(structured ?? '');
  }

  let timestamp: number | undefined;
  let timestampKey: string | undefined;
  for (const p of paths.timestamp) {
    const t = parseTimestamp(lookup(raw, p));
    if (t !== undefined) {
      timestamp = t;
      timestampKey = p.path;
      break;
    }
  }
  timestamp ??= ctx.transportTime ?? ctx.observedAt;

  let level: Level | undefined;
  for (const p of paths.level) {
    level = levelFromValue(lookup(raw, p));
    if (level) break;
  }
  level ??= levelFromMessage(message);

  const service =
    firstString(raw, paths.service)?.value ??
    (ctx.tag ? serviceFromTag(ctx.tag) : undefined) ??
    (typeof raw.file === 'string' && raw.file.length > 0 ? serviceFromPath(raw.file) : undefined) ??
    (typeof raw.source_type === 'string' ? raw.source_type : undefined) ??
    cfg.default_service;
  const host = firstString(raw, paths.host)?.value ?? cfg.default_host;

  // Copy instead of spreading and deleting: `delete` drops V8 objects into slow dictionary mode.
  const fields: Record<string, unknown> = {};
  const messageKey = msgHit?.path;
  for (const key in raw) {
    if (key !== messageKey && key !== timestampKey) fields[key] = raw[key];
  }

  return {
    timestamp,
    observedAt: ctx.observedAt,
    level,
    service,
    host,
    message,
    fields,
    source: ctx.source,
    tag: ctx.tag,
    size: estimateSize(message, ctx.rawSize),
  };
}

/** Fixed per-record overhead (object, strings, field map) measured roughly with process.memoryUsage on V8. */
const RECORD_OVERHEAD_BYTES = 320;

export function estimateSize(message: string, rawSize?: number): number {
  return RECORD_OVERHEAD_BYTES + Math.max(rawSize ?? 0, message.length * 2);
}
