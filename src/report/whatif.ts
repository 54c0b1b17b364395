/**
 * "What if" for the analyze report: how many anomalies each detector signal
 * would raise at a stricter and a looser setting than the configured one.
 * The numbers are real, not extrapolated: two shadow detectors with the
 * altered thresholds analyse every window the configured analyzer analyses,
 * in the same order, on the main thread (so `--report` costs about two more
 * detector passes). Each
 * shadow learns its own templates and baselines from scratch and saves
 * nothing. Only the embedded detector's findings are counted (an LLM's own
 * findings have no threshold to turn).
 */
import type { AnalysisResult, Analyzer } from '../analysis/analyzer.js';
import type { Anomaly } from '../analysis/anomaly.js';
import { EmbeddedAnalyzer } from '../analysis/detector/analyzer.js';
import type { DetectorConfig } from '../analysis/detector/config.js';
import type { Window } from '../windows/window.js';

export const SETTINGS = ['stricter', 'current', 'looser'] as const;
export type Setting = (typeof SETTINGS)[number];

const STRICTER = 0.1;

function scale(p: number, factor: number): number {
  return Math.min(1, p * factor);
}

/** The detector options with every signal's thresholds turned one notch (the factors are listed in the report). */
export function variantConfig(cfg: DetectorConfig, setting: Exclude<Setting, 'current'>): DetectorConfig {
  const strict = setting === 'stricter';
  const f = strict ? STRICTER : 1 / STRICTER;
  const count = (n: number) => Math.max(1, strict ? n * 2 : Math.ceil(n / 2));
  return {
    ...cfg,
    new_template: { ...cfg.new_template, max_chance: scale(cfg.new_template.max_chance, f) },
    rare: { ...cfg.rare, max_share: Math.min(0.5, cfg.rare.max_share * (strict ? 0.5 : 2)), max_chance: scale(cfg.rare.max_chance, f) },
    rate: {
      ...cfg.rate,
      z_threshold: strict ? cfg.rate.z_threshold * 1.5 : cfg.rate.z_threshold / 1.5,
      max_chance: scale(cfg.rate.max_chance, f * f),
    },
    surge: { ...cfg.surge, min_count: count(cfg.surge.min_count), min_fraction: Math.min(1, cfg.surge.min_fraction * (strict ? 1.5 : 1 / 1.5)) },
    vocabulary: cfg.vocabulary.map((v) => ({ ...v, threshold: count(v.threshold) })),
    vocabulary_max_chance: scale(cfg.vocabulary_max_chance, f),
  };
}

/** How each setting differs from the configured one, for the report's table. */
export const SETTING_NOTES: Record<Exclude<Setting, 'current'> | 'merged', string> = {
  stricter:
    'chance limits ×0.1 (rate ×0.01), rare share ×0.5, rate z ×1.5, surge and vocabulary counts ×2, surge fraction ×1.5',
  looser: 'chance limits ×10 (rate ×100), rare share ×2, rate z ÷1.5, surge and vocabulary counts ÷2, surge fraction ÷1.5',
  merged:
    'signals that fire on the same template are merged into one anomaly of the strongest type, so a stricter setting can move a finding from one row to another',
};

export type SignalCounts = Record<string, Record<Setting, number>>;

/** Wraps the configured analyzer; the result it returns is the configured analyzer's, untouched. */
export class WhatIfAnalyzer implements Analyzer {
  readonly name: string;
  readonly counts: SignalCounts = {};
  private readonly shadows: Array<[Setting, EmbeddedAnalyzer]>;
  /** Shadow runs, one after another in the order the configured analyzer finished its windows (per stream, window order). */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: Analyzer,
    cfg: DetectorConfig,
  ) {
    this.name = inner.name;
    this.shadows = (['stricter', 'looser'] as const).map((s) => [s, new EmbeddedAnalyzer(variantConfig(cfg, s), { rng: () => 1 })]);
  }

  async analyze(window: Window): Promise<AnalysisResult> {
    const result = await this.inner.analyze(window);
    this.tally('current', result.anomalies);
    // Detector shards finish windows of different streams in any order, but each stream's in order:
    // queueing the shadows here keeps every stream's windows in order for them too.
    const turn = this.queue.then(async () => {
      for (const [setting, shadow] of this.shadows) this.tally(setting, (await shadow.analyze(window)).anomalies);
    });
    this.queue = turn.catch(() => undefined);
    await turn;
    return result;
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }

  private tally(setting: Setting, anomalies: readonly Anomaly[]): void {
    for (const a of anomalies) {
      if (a.detector === 'llm') continue;
      const row = (this.counts[a.type] ??= { stricter: 0, current: 0, looser: 0 });
      row[setting]++;
    }
  }
}
