/**
 * Template parameters the detector counts by: the actors a line names (the
 * IP address, user, host or path that did something, in the sense of Elastic
 * ML's population analysis `over_field_name`,
 * https://www.elastic.co/guide/en/machine-learning/current/ml-configuring-populations.html)
 * and the measurements it carries (a latency, a lag, a queue depth).
 *
 * Actors are read from the raw message with a few generic patterns (`user X`,
 * `for X from`, `key=value`, an IPv4 address), only for lines that already
 * matched a vocabulary entry, so their cost stays off the hot path.
 * Measurements come from the template: a slot is numeric when its mask says
 * it holds a duration or size, or when its key (`lag_ms=`, `depth 42`) names
 * a measurement rather than an id. Slots are worked out once per template
 * text (cached), and a line's values are read from the tokens the miner
 * already split it into, so no line is scanned twice.
 */

export type ActorKind = 'ip' | 'user' | 'host' | 'path';
export const ACTOR_KINDS: readonly ActorKind[] = ['ip', 'user', 'host', 'path'];

export interface Actor {
  kind: ActorKind;
  value: string;
}

const IPV4 = /(?<![\d.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\d.])/;
/** `user=bob`, `account: bob`, `for user bob`, `invalid user bob`, `login=bob`, JSON's `"user":"bob"`; quoted or not. */
const USER_KEYED = /\b(?:(?:user(?:name)?|account|principal)(?:["']?\s*[=:]\s*|\s+)|(?:login|uid)["']?\s*[=:]\s*)["'[]?([A-Za-z0-9._@\\-]{1,64})/i;
/** sshd's `Failed password for root from …`. */
const USER_FOR_FROM = /\bfor\s+([A-Za-z0-9._@\\-]{1,64})\s+from\b/i;
/** sudo's `sudo: www-data : command not allowed`. */
const USER_SUDO = /\bsudo:\s+([A-Za-z0-9._\\-]{1,64})\s+:/;
const HOST_KEYED = /\b(?:host(?:name)?|rhost|node|client)\s*[=:]\s*["']?([A-Za-z0-9._-]{1,128})/i;
const PATH = /(?:^|[\s=:"'])(\/[A-Za-z0-9._~%+-]+(?:\/[A-Za-z0-9._~%+-]*)*)/;
/** Words that follow `user`/`account` without being a name. */
const NOT_A_NAME = new Set(['from', 'for', 'with', 'is', 'not', 'unknown', 'invalid', 'name', 'id', 'does', 'has', 'was', 'the', 'a', 'an', 'failed', 'login', 'logged', 'authentication']);

/** The actors one message names, at most one per kind. */
export function actorsOf(message: string): Actor[] {
  const out: Actor[] = [];
  const ip = IPV4.exec(message)?.[1];
  if (ip) out.push({ kind: 'ip', value: ip });
  const user = userOf(message);
  if (user) out.push({ kind: 'user', value: user });
  const host = HOST_KEYED.exec(message)?.[1];
  if (host && host !== ip) out.push({ kind: 'host', value: host });
  const path = PATH.exec(message)?.[1];
  if (path && path.length > 1) out.push({ kind: 'path', value: path });
  return out;
}

function userOf(message: string): string | undefined {
  const sudo = USER_SUDO.exec(message)?.[1];
  if (sudo) return sudo;
  // `invalid user bob` / `for user bob`: skip a leading non-name and take the next word.
  const re = new RegExp(USER_KEYED.source, 'gi');
  for (let m = re.exec(message); m; m = re.exec(message)) {
    const v = m[1];
    if (!NOT_A_NAME.has(v.toLowerCase())) return trimName(v);
  }
  const forFrom = USER_FOR_FROM.exec(message)?.[1];
  return forFrom && !NOT_A_NAME.has(forFrom.toLowerCase()) ? trimName(forFrom) : undefined;
}

function trimName(v: string): string {
  return v.replace(/[.,;:]+$/, '');
}

/** Private, loopback, link-local and CGNAT addresses (RFC 1918, 6598, 3927): inside the network. */
export function isPrivateIp(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

export interface NumericSlot {
  /** Token position in the template. */
  index: number;
  /** What the number measures, for the summary: the key, or the words before it. */
  name: string;
  /** `ms` when the slot holds a duration (values are converted to ms), `bytes` for a size, else none. */
  unit: '' | 'ms' | 'bytes';
  /** The unit is the next token, a word of its own (`in 812 ms`, `took 3 seconds`): values are scaled by it. */
  unitNext?: boolean;
  /**
   * With `unitNext`: the template's own next token and what unitWord makes of it. A line holding that very word
   * (`ms` in every line of `took <num> ms`) takes the factor without the word being looked up again.
   */
  unitToken?: string;
  unitFactor?: number;
  /**
   * A bare `<*>` whose lines may carry `key=value` (two services' logfmt lines merged into one template): each
   * line's key says whether it is a measurement and names its own series (see `keyedValue`).
   */
  keyed?: boolean;
}

/** Time units written as a word of their own after the number, and what they are in ms. */
// No prototype: a word such as `constructor` names no unit.
const UNIT_WORDS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, msec: 1, millis: 1, milliseconds: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
});

/** The ms a unit word stands for; a word starting with a digit (`35ms`, already a whole value) is none, and is not lower-cased to find out. */
function unitWord(word: string): number | undefined {
  const c = word.charCodeAt(0);
  return c >= 48 && c <= 57 ? undefined : UNIT_WORDS[word.toLowerCase()];
}

/** Key or neighbour words that name a measurement. */
const MEASURE = /lat|dur|took|elapsed|time|lag|depth|queue|backlog|pending|inflight|in_flight|wait|delay|rtt|load|usage|used|util|pct|percent|ratio|mem|cpu|heap|size|bytes|len|count|ms$|_s$|sec|slow/i;
/** …and those that name an identifier or a position, whose values drift by design. */
const IDENTIFIER = /(?:^|_|-)id$|^id|pid|port|seq|offset|order|rev|version|job|txn|trace|span|session|user|build|epoch|line|code|status/i;
const UNIT_PLACEHOLDERS = ['<dur>', '<size>'];
const NUMERIC_PLACEHOLDERS = ['<num>', '<*>', '<dur>', '<size>'];

const slotCache = new Map<string, NumericSlot[]>();
const SLOT_CACHE_MAX = 20_000;

/** The measurement slots of a template (cached by its text, which is what they depend on). */
export function numericSlots(template: string): NumericSlot[] {
  let slots = slotCache.get(template);
  if (slots) return slots;
  slots = findSlots(template.split(' '));
  if (slotCache.size >= SLOT_CACHE_MAX) slotCache.clear();
  slotCache.set(template, slots);
  return slots;
}

/** The constant word before token i (`in`, `took`), without its trailing punctuation; '' after a placeholder. */
function wordBefore(tokens: readonly string[], i: number): string {
  return i > 0 && !tokens[i - 1].includes('<') ? tokens[i - 1].replace(/[^A-Za-z0-9_]+$/, '') : '';
}

/** A key or word without the punctuation around it (`"lag_ms"` → `lag_ms`). */
const bare = (s: string): string => s.replace(/^[^A-Za-z0-9_]+|[^A-Za-z0-9_]+$/g, '');

/** The unit a measurement's name implies. */
function unitOfName(name: string): NumericSlot['unit'] {
  return /(?:^|_)ms$|millis|latency|duration|elapsed|took/i.test(name) ? 'ms' : /bytes/i.test(name) ? 'bytes' : '';
}

function findSlots(tokens: string[]): NumericSlot[] {
  const out: NumericSlot[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = wordBefore(tokens, i);
    if (t === '<*>') {
      if (!prev || !IDENTIFIER.test(prev)) out.push({ index: i, name: '', unit: '', keyed: true });
      continue;
    }
    const ph = NUMERIC_PLACEHOLDERS.find((p) => t.includes(p));
    if (!ph) continue;
    // `in <num> ms` (the miner may mask the lone unit as `<dur>`): a duration whatever the words before it say.
    const next = tokens[i + 1];
    const factor = next === undefined ? undefined : unitWord(next);
    if (t === '<num>' && next !== undefined && (next === '<dur>' || factor !== undefined)) {
      if (prev && IDENTIFIER.test(prev)) continue;
      out.push({ index: i, name: prev ? `the value after "${prev}"` : `value #${i + 1}`, unit: 'ms', unitNext: true, unitToken: next, unitFactor: factor });
      i++;
      continue;
    }
    const key = keyOf(t, ph);
    const name = key ?? prev;
    if (name && IDENTIFIER.test(name)) continue;
    const measured = UNIT_PLACEHOLDERS.some((u) => t.includes(u)) || (name !== '' && MEASURE.test(name));
    if (!measured) continue;
    const unit = t.includes('<dur>') ? 'ms' : t.includes('<size>') ? 'bytes' : unitOfName(name);
    out.push({ index: i, name: key ?? (prev ? `the value after "${prev}"` : `value #${i + 1}`), unit });
  }
  return out;
}

/** A `key=value` token's key and value when the key names a measurement (`latency_ms=84`), else undefined. */
export interface KeyedValue {
  key: string;
  value: number;
  unit: NumericSlot['unit'];
}

export function keyedValue(token: string): KeyedValue | undefined {
  const sep = token.search(/[=:]/);
  if (sep <= 0) return undefined;
  const key = bare(token.slice(0, sep));
  if (!key || IDENTIFIER.test(key) || !MEASURE.test(key)) return undefined;
  const value = numberIn(token);
  if (value === undefined) return undefined;
  return { key, value, unit: unitOfName(key) };
}

/** `lag_ms=<num>` / `depth:<num>` → the key. */
function keyOf(token: string, placeholder: string): string | undefined {
  const at = token.indexOf(placeholder);
  const sep = Math.max(token.lastIndexOf('=', at), token.lastIndexOf(':', at));
  if (sep <= 0) return undefined;
  // Quotes around a JSON member's key (`"lag_ms":<num>,`) are no part of its name.
  return bare(token.slice(0, sep)) || undefined;
}

const TO_BASE: Record<string, number> = {
  ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 181;

/**
 * The first number in `token` after its key (`lag_ms=`, `depth:`), durations in ms and sizes in bytes (a unit
 * right after the digits: `12ms`, `1.5s`, `3 kB` is read by the token's own suffix only); undefined when there is none.
 */
export function numberIn(token: string): number | undefined {
  let i = Math.max(token.indexOf('='), token.indexOf(':')) + 1;
  const n = token.length;
  while (i < n && !isDigit(token.charCodeAt(i))) i++;
  if (i >= n) return undefined;
  const negative = i > 0 && token.charCodeAt(i - 1) === 45;
  const start = negative ? i - 1 : i;
  // Whole numbers, most values, are summed as read (exact below 2^53, as Number() gives them); a fraction is left to Number().
  let whole = 0;
  const digits = i;
  while (i < n && isDigit(token.charCodeAt(i))) whole = whole * 10 + token.charCodeAt(i++) - 48;
  let v = negative ? -whole : whole;
  if (i - digits > 15) v = Number(token.slice(start, i));
  if (i + 1 < n && token.charCodeAt(i) === 46 && isDigit(token.charCodeAt(i + 1))) {
    i++;
    while (i < n && isDigit(token.charCodeAt(i))) i++;
    v = Number(token.slice(start, i));
  }
  let u = i;
  while (u < n && isLetter(token.charCodeAt(u))) u++;
  const factor = u > i ? TO_BASE[token.slice(i, u).toLowerCase()] : 1;
  // A number glued to other letters (`v2beta`) is no measurement.
  if (factor === undefined) return undefined;
  return Number.isFinite(v) ? v * factor : undefined;
}

/**
 * Values of `slots` (ascending by index) in a line's `tokens` (as the miner tokenized it), written into `out`; false
 * when the line's token count does not fit the template (a variable-length variant).
 */
export function numericValues(
  tokens: readonly string[],
  templateLength: number,
  slots: readonly NumericSlot[],
  out: Array<number | undefined>,
  keys?: Array<KeyedValue | undefined>,
): boolean {
  if (tokens.length !== templateLength) return false;
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k];
    const token = tokens[slot.index];
    if (slot.keyed) {
      const kv = keyedValue(token);
      out[k] = kv?.value;
      if (keys) keys[k] = kv;
      continue;
    }
    const v = numberIn(token);
    if (!slot.unitNext || v === undefined) {
      out[k] = v;
      continue;
    }
    // The word after a `unitNext` slot scales its value; an unknown word means it was no duration after all.
    const word = tokens[slot.index + 1];
    const f = word === slot.unitToken ? slot.unitFactor : unitWord(word);
    out[k] = f === undefined ? undefined : v * f;
  }
  return true;
}
