import { describe, expect, it } from 'vitest';
import { DEFAULT_VOCABULARY, DetectorConfigSchema } from '../../src/analysis/detector/config.js';
import { LookoutConfigSchema } from '../../src/config/schema.js';

const CARD = { name: 'card_declined', pattern: 'card (was )?declined' };

describe('analysis.detector.vocabulary', () => {
  it('fills the optional fields of a configured entry: severity medium, threshold 1, span 60 min, a generic action', () => {
    const [entry] = DetectorConfigSchema.parse({ vocabulary: [CARD] }).vocabulary;
    expect(entry).toEqual({ ...CARD, severity: 'medium', threshold: 1, span_minutes: 60, action: expect.stringContaining('{service}') });
  });

  it('replaces the built-in entries by default (vocabulary_mode: replace)', () => {
    const cfg = LookoutConfigSchema.parse({ analysis: { detector: { vocabulary: [CARD] } } }).analysis.detector;
    expect(cfg.vocabulary_mode).toBe('replace');
    expect(cfg.vocabulary.map((v) => v.name)).toEqual(['card_declined']);
  });

  it('adds to them with vocabulary_mode: extend, an entry of the same name overriding the built-in one, idempotently', () => {
    const timeout = { name: 'timeout', pattern: 'deadline exceeded', threshold: 50 };
    const cfg = LookoutConfigSchema.parse({ analysis: { detector: { vocabulary_mode: 'extend', vocabulary: [CARD, timeout] } } }).analysis.detector;
    const names = cfg.vocabulary.map((v) => v.name);
    expect(names).toEqual([...DEFAULT_VOCABULARY.map((v) => v.name).filter((n) => n !== 'timeout'), 'card_declined', 'timeout']);
    expect(cfg.vocabulary.find((v) => v.name === 'timeout')).toMatchObject({ pattern: 'deadline exceeded', threshold: 50 });
    expect(DetectorConfigSchema.parse(cfg).vocabulary).toEqual(cfg.vocabulary);
  });

  it('refuses an unknown mode and an entry without a pattern', () => {
    expect(DetectorConfigSchema.safeParse({ vocabulary_mode: 'merge' }).success).toBe(false);
    expect(DetectorConfigSchema.safeParse({ vocabulary: [{ name: 'x' }] }).success).toBe(false);
  });
});
