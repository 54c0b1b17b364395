/**
 * Elasticsearch `_bulk` request and response
 * (https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-bulk):
 * NDJSON pairs `{"create":{"_index":…,"_id":anomaly.id}}` + the document, every
 * line ending in `\n` including the last. The response is 200 even on partial
 * failure, so each item is classified: 2xx and 409 (document with this id
 * already exists, i.e. an earlier attempt landed) are delivered; 429 and 5xx
 * are retried; anything else failed.
 */
import { z } from 'zod';
import type { AnomalyRecord } from '../record.js';

export function encodeBulk(records: AnomalyRecord[], index: string): string {
  let out = '';
  for (const r of records) out += `${JSON.stringify({ create: { _index: index, _id: r.anomaly.id } })}\n${JSON.stringify(r)}\n`;
  return out;
}

const BulkItemResultSchema = z.object({
  status: z.number().int(),
  _id: z.string().nullish(),
  error: z.object({ type: z.string(), reason: z.string().nullish() }).loose().optional(),
});
const BulkResponseSchema = z.object({
  errors: z.boolean(),
  items: z.array(z.record(z.string(), BulkItemResultSchema)),
});

export interface BulkOutcome {
  retry: AnomalyRecord[];
  failed: AnomalyRecord[];
  /** First distinct error reasons, for the log. */
  reasons: string[];
}

export class BulkResponseError extends Error {
  constructor(message: string, readonly body: string) {
    super(`${message}: ${body.slice(0, 300)}`);
    this.name = 'BulkResponseError';
  }
}

/** Classifies each item of a 200 `_bulk` answer; items are in request order. */
export function classifyBulkResponse(records: AnomalyRecord[], bodyText: string): BulkOutcome {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    throw new BulkResponseError('bulk response is not JSON', bodyText);
  }
  const parsed = BulkResponseSchema.safeParse(json);
  if (!parsed.success) throw new BulkResponseError('unexpected bulk response shape', bodyText);
  const outcome: BulkOutcome = { retry: [], failed: [], reasons: [] };
  if (!parsed.data.errors) return outcome;
  if (parsed.data.items.length !== records.length) {
    throw new BulkResponseError(`bulk response has ${parsed.data.items.length} items for ${records.length} documents`, bodyText);
  }
  parsed.data.items.forEach((item, i) => {
    const result = Object.values(item)[0];
    if (!result) return;
    const { status } = result;
    if ((status >= 200 && status < 300) || status === 409) return;
    const reason = `${status} ${result.error?.type ?? ''}: ${result.error?.reason ?? ''}`.trim();
    if (outcome.reasons.length < 5 && !outcome.reasons.includes(reason)) outcome.reasons.push(reason);
    if (status === 429 || status >= 500) outcome.retry.push(records[i]);
    else outcome.failed.push(records[i]);
  });
  return outcome;
}
