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
import { NO_FIELDS, type Level, type LogRecord, type SourceKind } from './record.js';
import { parseTimestamp } from './timestamp.js';

/** Each list holds at most 31 paths: normalize tracks candidate paths as bits of an int32. */
export const NormalizeConfigSchema = z
  .object({
    timestamp_fields: z.array(z.string().min(1)).max(31).default(['timestamp', '@timestamp', 'date', 'time', 'ts']),
    message_fields: z.array(z.string().min(1)).max(31).default(['message', 'log', 'msg', 'short_message', 'MESSAGE']),
    level_fields: z
      .array(z.string().min(1))
      .max(31)
      .default(['level', 'severity', 'log.level', 'levelname', 'lvl', 'loglevel', 'syslog.severity', 'PRIORITY']),
    service_fields: z
      .array(z.string().min(1))
      .max(31)
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
      .max(31)
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
  /** Leave `fields` empty (`NO_FIELDS`): the intake reads only the normalized parts (Intake.readsFields). */
  dropFields?: boolean;
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

const CATEGORIES = 5;
const [MESSAGE, TIMESTAMP, LEVEL, SERVICE, HOST] = [0, 1, 2, 3, 4];

/**
 * Field paths prepared once per configuration. Most records carry few of the
 * many configured fields, so rather than probing every path, normalize walks
 * the record's own keys once and marks, per category, which paths could
 * resolve (bit `rank` of a mask); only those are then looked up, in order.
 */
interface CompiledConfig {
  paths: string[][];
  /** Top-level key (a path's first segment, or any dotted prefix of it) → the [category, bit] pairs it may serve. */
  byKey: Map<string, Array<[number, number]>>;
}

const compiled = new WeakMap<NormalizeConfig, CompiledConfig>();

function compiledFor(cfg: NormalizeConfig): CompiledConfig {
  let c = compiled.get(cfg);
  if (!c) {
    const paths = [cfg.message_fields, cfg.timestamp_fields, cfg.level_fields, cfg.service_fields, cfg.host_fields];
    const byKey = new Map<string, Array<[number, number]>>();
    paths.forEach((list, cat) =>
      list.forEach((path, rank) => {
        for (let i = path.indexOf('.'); ; i = path.indexOf('.', i + 1)) {
          const key = i < 0 ? path : path.slice(0, i);
          const entries = byKey.get(key) ?? [];
          entries.push([cat, 1 << rank]);
          byKey.set(key, entries);
          if (i < 0) break;
        }
      }),
    );
    c = { paths, byKey };
    compiled.set(cfg, c);
  }
  return c;
}

/** Reused per call: normalize is synchronous, so one scratch array serves every record. */
const masks = new Int32Array(CATEGORIES);

/**
 * The keys markPresent walked last, in order, and what they marked: the records of one source
 * mostly share their keys, and comparing a key with the last record's (names from JSON.parse and
 * object literals are internalized: one pointer comparison) costs less than looking it up.
 */
let lastKeys: string[] = [];
const lastMasks = new Int32Array(CATEGORIES);
let lastCompiled: CompiledConfig | undefined;

function markPresent(raw: Record<string, unknown>, c: CompiledConfig): void {
  if (c === lastCompiled) {
    let k = 0;
    for (const key in raw) {
      if (lastKeys[k] !== key) {
        k = -1;
        break;
      }
      k++;
    }
    if (k === lastKeys.length) {
      masks.set(lastMasks);
      return;
    }
  }
  masks.fill(0);
  const keys: string[] = [];
  for (const key in raw) {
    keys.push(key);
    const entries = c.byKey.get(key);
    if (entries) for (const [cat, bit] of entries) masks[cat] |= bit;
  }
  lastKeys = keys;
  lastMasks.set(masks);
  lastCompiled = c;
}

/** The path of the last value firstMatch found: a result object per lookup would be five allocations a record. */
let matchedPath: string | undefined;

/** The value at the first configured path (in configuration order) that `accept` takes; its path is left in `matchedPath`. */
function firstMatch<T>(raw: Record<string, unknown>, paths: string[], mask: number, accept: (v: unknown) => T | undefined): T | undefined {
  while (mask !== 0) {
    const bit = mask & -mask;
    mask ^= bit;
    const path = paths[31 - Math.clz32(bit)];
    const v = getPath(raw, path);
    if (v === undefined) continue;
    const value = accept(v);
    if (value !== undefined) {
      matchedPath = path;
      return value;
    }
  }
  matchedPath = undefined;
  return undefined;
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function asPresent(v: unknown): unknown {
  return v === null ? undefined : v;
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

/** Level words as spelled in records ("INFO", "warning", " Error") → Level; bounded, since a field can hold anything. */
const levelWordCache = new Map<string, Level | undefined>();
const LEVEL_WORD_CACHE_MAX = 256;

/** Maps a level field's value (word, syslog number or pino/bunyan number) to a Level. */
export function levelFromValue(v: unknown): Level | undefined {
  if (typeof v === 'string') {
    // A stream spells its levels a handful of ways: remember them rather than trim, lower-case and test each time.
    const known = levelWordCache.get(v);
    if (known !== undefined || levelWordCache.has(v)) return known;
    const level = levelFromWord(v);
    if (levelWordCache.size >= LEVEL_WORD_CACHE_MAX) levelWordCache.clear();
    levelWordCache.set(v, level);
    return level;
  }
  return levelFromNumber(v);
}

function levelFromNumber(v: unknown): Level | undefined {
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
  return undefined;
}

function levelFromWord(v: string): Level | undefined {
  const word = v.trim().toLowerCase();
  if (/^\d+$/.test(word)) return levelFromNumber(Number(word));
  return LEVEL_WORDS[word];
}

const MESSAGE_LEVEL = /\b(?:FATAL|PANIC|EMERG|CRITICAL|CRIT|SEVERE|ERROR|ERR|WARNING|WARN|NOTICE|INFO|DEBUG|TRACE)\b/i;
const MESSAGE_LEVEL_SCAN = 160;

const MESSAGE_FAILURE = /\b(?:exception|traceback|segfault|panicked|out of memory)\b/i;

/** Infers a level from message text: a level word near the start, or words that mean failure. */
export function levelFromMessage(message: string): Level {
  const head = message.length > MESSAGE_LEVEL_SCAN ? message.slice(0, MESSAGE_LEVEL_SCAN) : message;
  // `search` finds the word without the match array `exec` would allocate for every record.
  const at = head.search(MESSAGE_LEVEL);
  // A lower-case "error" mid-sentence is weaker evidence than an upper-case token, but still the best we have.
  if (at >= 0) return levelWordAt(head, at);
  return MESSAGE_FAILURE.test(head) ? 'error' : 'unknown';
}

/** The Level of the MESSAGE_LEVEL word starting at `at`, told apart by its length and letters. */
function levelWordAt(text: string, at: number): Level {
  let end = at;
  while (end < text.length && isLetter(text.charCodeAt(end))) end++;
  const first = text.charCodeAt(at) | 0x20;
  switch (end - at) {
    case 3:
      return 'error';
    case 4:
      return first === 0x63 ? 'critical' : first === 0x77 ? 'warn' : 'info';
    case 5:
      if (first === 0x65) return (text.charCodeAt(at + 1) | 0x20) === 0x6d ? 'fatal' : 'error';
      return first === 0x64 ? 'debug' : first === 0x74 ? 'trace' : 'fatal';
    case 6:
      return first === 0x73 ? 'error' : 'notice';
    case 7:
      return 'warn';
    default:
      return 'critical';
  }
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function messageText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `/var/log/app/checkout.log` → `checkout`: the file a line came from names its service when nothing else does. */
function serviceFromPath(path: string): string {
  // A batch's records mostly come from one file: remember the last answer, as streamFromTag does.
  if (path === lastPath) return lastPathService;
  const cut = path.lastIndexOf('/');
  const name = cut >= 0 ? path.slice(cut + 1) : path;
  const dot = name.indexOf('.');
  lastPath = path;
  lastPathService = dot > 0 ? name.slice(0, dot) : name;
  return lastPathService;
}
let lastPath: string | undefined;
let lastPathService = '';

/** What a tag says about its stream; `host` only when the tag names an instance. */
export interface TagStream {
  service: string;
  host?: string;
}

/**
 * Kubernetes container log files as Fluent Bit's tail input tags them (`Tag kube.*` →
 * `kube.var.log.containers.<pod>_<namespace>_<container>-<container id>.log`, the path with `/` as `.`;
 * https://docs.fluentbit.io/manual/pipeline/filters/kubernetes#workflow-of-tail-and-kubernetes-filter).
 */
const KUBE_TAIL_TAG = /(?:^|\.)containers\.([^_]+)_([^_]+)_(.+)-[0-9a-f]{64}\.log$/;
/** Any other tail tag of a `.log` file (`app.var.log.app.api.log`): the file name names the service. */
const FILE_TAIL_TAG = /\.([^.]+)\.log$/;

/**
 * Service (and host) from a Forward / Fluent Bit tag: a Kubernetes tail tag gives the container as
 * service and the pod as host; a tail tag of a `.log` file gives the file name without extension;
 * any other tag its last part (`app.payments` → `payments`).
 */
export function streamFromTag(tag: string): TagStream {
  // Every record of a Forward message or HTTP request shares its tag: remember the last answer.
  if (tag === lastTag) return lastTagStream;
  const kube = KUBE_TAIL_TAG.exec(tag);
  const file = kube ? null : FILE_TAIL_TAG.exec(tag);
  const parts = tag.split('.').filter((p) => p.length > 0);
  lastTag = tag;
  lastTagStream = kube
    ? { service: kube[3], host: kube[1] }
    : { service: file && parts.length > 2 ? file[1] : parts.length > 0 ? parts[parts.length - 1] : tag };
  return lastTagStream;
}
let lastTag: string | undefined;
let lastTagStream: TagStream = { service: '' };

export function normalize(raw: Record<string, unknown>, ctx: NormalizeContext, cfg: NormalizeConfig = DEFAULT_NORMALIZE): LogRecord {
  const c = compiledFor(cfg);
  markPresent(raw, c);

  const text = firstMatch(raw, c.paths[MESSAGE], masks[MESSAGE], asText);
  const message = text ?? messageText(firstMatch(raw, c.paths[MESSAGE], masks[MESSAGE], asPresent) ?? '');
  const messageKey = text === undefined ? undefined : matchedPath;

  const time = firstMatch(raw, c.paths[TIMESTAMP], masks[TIMESTAMP], parseTimestamp);
  const timestamp = time ?? ctx.transportTime ?? ctx.observedAt;
  const timestampKey = time === undefined ? undefined : matchedPath;

  const level = firstMatch(raw, c.paths[LEVEL], masks[LEVEL], levelFromValue) ?? levelFromMessage(message);

  const service =
    firstMatch(raw, c.paths[SERVICE], masks[SERVICE], asText) ??
    (ctx.tag ? streamFromTag(ctx.tag).service : undefined) ??
    (typeof raw.file === 'string' && raw.file.length > 0 ? serviceFromPath(raw.file) : undefined) ??
    (typeof raw.source_type === 'string' ? raw.source_type : undefined) ??
    cfg.default_service;
  const host = firstMatch(raw, c.paths[HOST], masks[HOST], asText) ?? (ctx.tag ? streamFromTag(ctx.tag).host : undefined) ?? cfg.default_host;

  let fields = NO_FIELDS;
  if (!ctx.dropFields) {
    // Copy instead of spreading and deleting: `delete` drops V8 objects into slow dictionary mode.
    fields = {};
    for (const key in raw) {
      if (key !== messageKey && key !== timestampKey) fields[key] = raw[key];
    }
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
