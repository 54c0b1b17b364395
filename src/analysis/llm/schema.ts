/**
 * The model's answer: zod schema (the check that counts), the equivalent JSON
 * Schema sent as `response_format` (OpenAI structured outputs, strict mode:
 * https://platform.openai.com/docs/guides/structured-outputs, which requires
 * every property listed in `required` and `additionalProperties: false`), and
 * tolerant extraction of the JSON object from whatever text came back
 * (markdown fences, prose around it) for servers that ignore the format.
 */
import { z } from 'zod';
import { HEALTHS, LlmAnomalySchema, SEVERITIES } from '../anomaly.js';

export const LlmAnswerSchema = z.object({
  anomalies: z.array(LlmAnomalySchema).max(50),
  window_health: z.enum(HEALTHS),
  total_lines_analyzed: z.number().int().min(0),
});
export type LlmAnswer = z.infer<typeof LlmAnswerSchema>;

export const ANSWER_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['anomalies', 'window_health', 'total_lines_analyzed'],
  properties: {
    anomalies: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['severity', 'type', 'summary', 'evidence', 'recommended_action'],
        properties: {
          severity: { type: 'string', enum: [...SEVERITIES] },
          type: { type: 'string', description: 'short snake_case category, e.g. db_connection_failure' },
          summary: { type: 'string' },
          evidence: { type: 'array', items: { type: 'string' }, description: 'log lines copied verbatim from the window' },
          recommended_action: { type: 'string' },
        },
      },
    },
    window_health: { type: 'string', enum: [...HEALTHS] },
    total_lines_analyzed: { type: 'integer' },
  },
} as const;

export type ParsedAnswer = { ok: true; answer: LlmAnswer } | { ok: false; error: string };

/** Parses a completion's text into a validated answer, or says precisely what was wrong (fed back to the model once). */
export function parseAnswer(text: string): ParsedAnswer {
  const json = extractJson(text);
  if (json === undefined) return { ok: false, error: 'the reply contained no JSON object' };
  const result = LlmAnswerSchema.safeParse(normalizeEnums(json));
  if (result.success) return { ok: true, answer: result.data };
  return { ok: false, error: z.prettifyError(result.error) };
}

/** The first JSON object in `text`: the whole text, a ```json fence, or the outermost braces. */
export function extractJson(text: string): unknown {
  const candidates = [text.trim()];
  for (const m of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) candidates.push(m[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
    } catch {
      // not this candidate; try the next way of finding the object
    }
  }
  return undefined;
}

/** Small models write `"High"` or `"Critical"`; case is not worth a retry. */
function normalizeEnums(json: unknown): unknown {
  if (!isRecord(json)) return json;
  const out: Record<string, unknown> = { ...json };
  if (typeof out.window_health === 'string') out.window_health = out.window_health.toLowerCase();
  if (Array.isArray(out.anomalies)) {
    out.anomalies = out.anomalies.map((a) =>
      isRecord(a) && typeof a.severity === 'string' ? { ...a, severity: a.severity.toLowerCase() } : a,
    );
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
