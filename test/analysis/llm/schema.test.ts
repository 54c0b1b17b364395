import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ANSWER_JSON_SCHEMA, extractJson, parseAnswer } from '../../../src/analysis/llm/schema.js';

const good = {
  anomalies: [{ severity: 'high', type: 'db_connection_failure', summary: 'DB refused 12 connections.', evidence: ['ERROR db refused'], recommended_action: 'Check the DB.' }],
  window_health: 'degraded',
  total_lines_analyzed: 40,
};

describe('parseAnswer', () => {
  it('accepts a valid answer as plain JSON', () => {
    const parsed = parseAnswer(JSON.stringify(good));
    expect(parsed).toEqual({ ok: true, answer: good });
  });

  it('digs the JSON out of a markdown fence with prose around it', () => {
    const parsed = parseAnswer(`Sure! Here you go:\n\`\`\`json\n${JSON.stringify(good, null, 2)}\n\`\`\`\nHope this helps.`);
    expect(parsed.ok && parsed.answer.total_lines_analyzed).toBe(40);
  });

  it('finds a bare object inside prose', () => {
    expect(extractJson(`The answer is ${JSON.stringify(good)} as requested.`)).toEqual(good);
  });

  it('accepts capitalised enum values small models write', () => {
    const parsed = parseAnswer(JSON.stringify({ ...good, window_health: 'Degraded', anomalies: [{ ...good.anomalies[0], severity: 'HIGH' }] }));
    expect(parsed.ok && parsed.answer.anomalies[0].severity).toBe('high');
  });

  it('says what is wrong with a schema violation', () => {
    const parsed = parseAnswer(JSON.stringify({ ...good, anomalies: [{ ...good.anomalies[0], severity: 'urgent', evidence: 'one line' }] }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/severity|evidence/);
  });

  it('reports text without JSON', () => {
    expect(parseAnswer('I could not find any problems.')).toEqual({ ok: false, error: 'the reply contained no JSON object' });
    expect(parseAnswer('{"anomalies": [')).toMatchObject({ ok: false });
  });
});

describe('ANSWER_JSON_SCHEMA', () => {
  const validate = new Ajv({ strict: false }).compile(ANSWER_JSON_SCHEMA);

  it('is strict-mode shaped: every property required, no additional properties', () => {
    expect([...ANSWER_JSON_SCHEMA.required].sort()).toEqual(Object.keys(ANSWER_JSON_SCHEMA.properties).sort());
    const item = ANSWER_JSON_SCHEMA.properties.anomalies.items;
    expect([...item.required].sort()).toEqual(Object.keys(item.properties).sort());
    expect(ANSWER_JSON_SCHEMA.additionalProperties).toBe(false);
    expect(item.additionalProperties).toBe(false);
  });

  it('agrees with the zod schema on good and bad answers', () => {
    const bad = [
      { ...good, window_health: 'bad' },
      { ...good, anomalies: [{ ...good.anomalies[0], severity: 'urgent' }] },
      { ...good, anomalies: [{ ...good.anomalies[0], extra: 1 }] },
      { anomalies: [], window_health: 'normal' },
    ];
    expect(validate(good)).toBe(true);
    expect(parseAnswer(JSON.stringify(good)).ok).toBe(true);
    for (const answer of bad) {
      expect(validate(answer)).toBe(false);
      expect(parseAnswer(JSON.stringify(answer)).ok).toBe(false);
    }
  });
});
