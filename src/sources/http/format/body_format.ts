/**
 * Which decoder reads a body: from Content-Type when it names a format,
 * otherwise (missing, application/octet-stream, any wildcard) by sniffing the
 * decompressed bytes. Parameters such as charset are ignored. Node keeps only
 * the first of duplicated Content-Type headers, which is the built-in one when
 * a Fluent Bit user adds a custom Content-Type (wire-formats.md §3.1).
 */
import { DecodeBudget, DecodeLimitError, type DecodeLimits } from '../../decode_limits.js';
import { NestingTooDeepError, PayloadTooLargeError, UnsupportedMediaError, type HttpSourceError } from '../errors.js';
import { decodeGelf, fromGelf, isGelfMessage } from './gelf.js';
import { decodeJson } from './json.js';
import { decodeMsgpack } from './msgpack.js';
import { decodeNdjson } from './ndjson.js';
import type { RawRecord } from './raw_record.js';
import { decodeText } from './text.js';

export type BodyFormat = 'json' | 'ndjson' | 'text' | 'msgpack' | 'gelf';

const CONTENT_TYPES: Record<string, BodyFormat> = {
  'application/json': 'json',
  'text/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonlines': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'application/json-lines': 'ndjson',
  'text/plain': 'text',
  'application/msgpack': 'msgpack',
  'application/x-msgpack': 'msgpack',
  'application/vnd.msgpack': 'msgpack',
};

const GENERIC_TYPES = new Set(['application/octet-stream', '*/*', 'application/*', 'text/*']);

/** The media type without parameters, lower-cased; undefined when the header is absent. */
export function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';', 1)[0].trim().toLowerCase();
  return type ? type : undefined;
}

/** The format a Content-Type names; undefined means "sniff the body". Throws 415 for a type that names none. */
export function formatFromContentType(header: string | undefined): BodyFormat | undefined {
  const type = mediaType(header);
  if (type === undefined || GENERIC_TYPES.has(type)) return undefined;
  const format = CONTENT_TYPES[type];
  if (!format) throw new UnsupportedMediaError(`unsupported Content-Type "${type}"`, { content_type: header ?? '' });
  return format;
}

/** Judges an unlabelled body by its first significant byte. */
export function sniffFormat(body: Buffer): BodyFormat {
  let i = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  const first = body[i];
  if (first === 0x5b) return 'json'; // [
  if (first === 0x7b) return body.includes(0) ? 'gelf' : 'json'; // {, NUL-delimited = Vector gelf
  // fixmap / fixarray / array16/32 / map16/32: a msgpack stream (these are never a UTF-8 lead byte).
  if ((first >= 0x80 && first <= 0x9f) || (first >= 0xdc && first <= 0xdf)) return 'msgpack';
  return 'text';
}

const DECODERS: Record<BodyFormat, (body: Buffer, budget: DecodeBudget) => RawRecord[]> = {
  json: decodeJson,
  ndjson: decodeNdjson,
  text: decodeText,
  msgpack: decodeMsgpack,
  gelf: decodeGelf,
};

/** The HTTP answer to a request limit passed while decoding: 413 for size and count, 400 for depth. */
function limitRefusal(err: DecodeLimitError, format: BodyFormat): HttpSourceError {
  if (err.kind === 'depth') return new NestingTooDeepError(err.limit, { format, offset: err.offset });
  const name = err.kind === 'records' ? 'max_records_per_request' : 'max_decoded_bytes';
  return new PayloadTooLargeError(name, err.limit, `${format} body: ${err.message} in one request`);
}

/**
 * Decodes a body in the given format within the request's limits. JSON whose
 * every record is a GELF message (Fluent Bit `format gelf` says
 * application/json) is read as GELF.
 */
export function decodeBody(format: BodyFormat, body: Buffer, limits: DecodeLimits): { format: BodyFormat; records: RawRecord[] } {
  let records: RawRecord[];
  try {
    records = DECODERS[format](body, new DecodeBudget(limits));
  } catch (err) {
    throw err instanceof DecodeLimitError ? limitRefusal(err, format) : err;
  }
  if (format === 'json' && records.length > 0 && records.every((r) => isGelfMessage(r.fields))) {
    return { format: 'gelf', records: records.map((r) => ({ ...r, fields: fromGelf(r.fields) })) };
  }
  return { format, records };
}
