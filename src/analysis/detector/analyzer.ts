/**
 * EmbeddedAnalyzer: the no-LLM detector behind the `Analyzer` interface
 * (../analyzer.ts). Per window: mine templates (../templates/miner.ts), group
 * the window by template, run every signal against the stream's baselines,
 * fold the window into the baselines, merge signals that share a template,
 * fold repeats of an incident the stream already reported (fold.ts), and return anomalies, health, score, the LLM gate decision and the
 * compressed view (../view.ts).
 *
 * A silence that ended shows up in the window after it (silenceGapSignal); a
 * silence still going on closes no window, so the topology calls
 * `checkSilence(clock)` on a timer (and `analyze` at the end of a file); it
 * returns one result, with an empty window, per stream that newly fell silent.
 *
 * State: one miner for all streams, baselines per stream (bounded, see
 * stream_state.ts). With `statePath` (a directory) both are loaded on first
 * use and written by `save()` (periodic snapshots) and `close()` to
 * templates.json and baselines.json, each atomically, with a log line each
 * time. A file that is corrupt or of an incompatible version is renamed aside
 * (`<file>.corrupt-<time>`) and the detector starts fresh, saying so; only an
 * unreadable directory (permissions) stops start-up.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { writeFileAtomically } from '../../common/atomic_write.js';
import type { Window } from '../../windows/window.js';
import type { AnalysisResult, Analyzer } from '../analyzer.js';
import type { Anomaly } from '../anomaly.js';
import { TemplateMiner } from '../templates/miner.js';
import { renderWindowView } from '../view.js';
import { DetectorConfigSchema, type DetectorConfig, type DetectorConfigInput } from './config.js';
import { DetectorStateError } from './errors.js';
import { decideGate, windowHealth } from './gate.js';
import { foldRepeats } from './fold.js';
import { mergeSignals } from './merge.js';
import { newTemplateSignals } from './new_template.js';
import { rareTemplateSignals } from './rare_template.js';
import { rateChangeSignals } from './rate_change.js';
import { severitySurgeSignals } from './severity_surge.js';
import type { Signal, WindowSummary } from './signal.js';
import { silenceGapSignal, silenceSignal, type SilenceClock } from './silence.js';
import { StreamStates, updateStreamState } from './stream_state.js';
import { numericDriftSignals } from './numeric_drift.js';
import { VocabularyMatcher, compileVocabulary, vocabularySignals } from './vocabulary.js';
import { summarizeWindow } from './window_summary.js';

export interface EmbeddedAnalyzerDeps {
  /** Uniform [0, 1) source for the gate's drift sample; Math.random by default. */
  rng?: () => number;
  /** A miner to share or pre-seed; when given, it is not loaded from `statePath` (but is saved there). */
  miner?: TemplateMiner;
  /** Directory for templates.json and baselines.json. */
  statePath?: string;
  /** Where state loads, saves and recoveries are logged. */
  logger?: Logger;
  /** Render each result's compressed view (default true); only the LLM and the calibration report read it. */
  renderView?: boolean;
}

const TEMPLATES_FILE = 'templates.json';
const BASELINES_FILE = 'baselines.json';

export class EmbeddedAnalyzer implements Analyzer {
  readonly name = 'embedded';
  readonly config: DetectorConfig;
  private miner: TemplateMiner;
  private states: StreamStates;
  private readonly vocabulary: VocabularyMatcher;
  private readonly rng: () => number;
  private readonly statePath?: string;
  private readonly ownMiner: boolean;
  private readonly logger?: Logger;
  private readonly renderView: boolean;
  private loading?: Promise<void>;

  constructor(cfg: DetectorConfigInput = {}, deps: EmbeddedAnalyzerDeps = {}) {
    this.config = DetectorConfigSchema.parse(cfg);
    this.miner = deps.miner ?? new TemplateMiner(this.config.miner);
    this.ownMiner = deps.miner === undefined;
    this.states = new StreamStates(this.config.max_streams);
    this.vocabulary = new VocabularyMatcher(compileVocabulary(this.config.vocabulary));
    this.rng = deps.rng ?? Math.random;
    this.statePath = deps.statePath;
    this.logger = deps.logger;
    this.renderView = deps.renderView ?? true;
  }

  /** Streams with baselines (bounded by `max_streams`). */
  get streams(): number {
    return this.states.size;
  }

  /**
   * Loads saved state from `statePath` once; later calls return the same promise.
   * Missing files mean a fresh start; unreadable or invalid ones reject with DetectorStateError.
   * `analyze` calls it too, so awaiting it at startup only surfaces errors earlier.
   */
  load(): Promise<void> {
    this.loading ??= this.loadState();
    return this.loading;
  }

  async analyze(window: Window): Promise<AnalysisResult> {
    await this.load();
    if (window.records.length === 0) return this.result(window, [], []);
    const state = this.states.obtain(window.stream, window.service, window.host);
    const matches = window.records.map((r) => this.miner.add(r.message, r.timestamp));
    const summary = summarizeWindow(window, matches);
    // Templates generalise while the window is mined; show each as it ended up.
    for (const t of summary.templates) t.template = this.miner.get(t.id)?.template ?? t.template;

    const ctx = { summary, state, cfg: this.config, text: (id: string) => this.miner.get(id)?.template ?? 'a line shape no longer kept' };
    const signals: Signal[] = [
      ...newTemplateSignals(ctx, (t) => this.vocabulary.counts(t.id, t.template)),
      ...rareTemplateSignals(ctx),
      ...rateChangeSignals(ctx, (t) => this.vocabulary.countsActors(t.id, t.template)),
      ...severitySurgeSignals(ctx),
      ...vocabularySignals(ctx, this.vocabulary),
      ...numericDriftSignals(ctx),
      ...[silenceGapSignal(ctx)].filter((s) => s !== undefined),
    ];
    const found = foldRepeats(state, mergeSignals(signals), window.end, this.config.fold);
    updateStreamState(
      state,
      {
        start: window.start,
        lines: summary.total,
        errors: summary.errors,
        arrival: summary.arrival,
        templates: new Map(summary.templates.map((t) => [t.id, t.count])),
      },
      this.config.ewma_alpha,
      this.config.max_templates_per_stream,
    );
    return this.result(window, found.map(embedded), summary.templates);
  }

  /**
   * Results for streams that usually log and have sent nothing for too long
   * (see silence.ts), each with an empty window spanning the silence. Call
   * periodically with the windows stage's clocks; each silence is reported once.
   */
  async checkSilence(clock: SilenceClock): Promise<AnalysisResult[]> {
    await this.load();
    const out: AnalysisResult[] = [];
    for (const state of this.states.values()) {
      const signal = silenceSignal(state, clock, this.config);
      if (!signal) continue;
      state.silenceReported = true;
      const window: Window = {
        stream: state.stream,
        service: state.service,
        host: state.host,
        start: state.lastArrival,
        end: clock.streamNow(state.stream),
        records: [],
        lines: 0,
        closedBy: 'idle',
      };
      out.push(this.result(window, [embedded(signal)], []));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.save('shutdown');
  }

  /** Writes templates and baselines to `statePath` (when set), each file atomically. */
  async save(reason: 'snapshot' | 'shutdown'): Promise<void> {
    if (!this.statePath) return;
    // A failed load must not be overwritten with an empty state.
    await this.load();
    const started = performance.now();
    await this.miner.save(join(this.statePath, TEMPLATES_FILE));
    await writeFileAtomically(join(this.statePath, BASELINES_FILE), JSON.stringify(this.states.toJSON()));
    this.logger?.info(
      { path: this.statePath, reason, templates: this.miner.size, streams: this.states.size, ms: Math.round(performance.now() - started) },
      'detector state saved',
    );
  }

  private result(window: Window, anomalies: Anomaly[], templates: WindowSummary['templates']): AnalysisResult {
    const score = anomalies.reduce((m, a) => Math.max(m, a.score), 0);
    const examples = this.config.view.examples;
    const view = this.renderView
      ? renderWindowView(
          window,
          templates.map((t) => ({ id: t.id, template: t.template, count: t.count, first: t.first, last: t.last, examples: t.lines.slice(0, examples) })),
          anomalies,
        )
      : undefined;
    return {
      window,
      health: windowHealth(anomalies),
      score,
      anomalies,
      analyzer: this.name,
      gate: decideGate(score, this.config.gate, this.rng),
      view,
    };
  }

  private async loadState(): Promise<void> {
    if (!this.statePath) return;
    const templatesPath = join(this.statePath, TEMPLATES_FILE);
    const baselinesPath = join(this.statePath, BASELINES_FILE);
    const templates = this.ownMiner ? await readIfExists(templatesPath) : undefined;
    if (templates !== undefined) {
      const miner = await this.parseOrSetAside(templatesPath, () => TemplateMiner.fromJSON(JSON.parse(templates), this.config.miner, templatesPath));
      if (miner) this.miner = miner;
    }
    const baselines = await readIfExists(baselinesPath);
    if (baselines !== undefined) {
      const states = await this.parseOrSetAside(baselinesPath, () => StreamStates.fromJSON(JSON.parse(baselines), this.config.max_streams));
      if (states) this.states = states;
    }
    if (templates === undefined && baselines === undefined) this.logger?.info({ path: this.statePath }, 'no saved detector state: starting fresh');
    else this.logger?.info({ path: this.statePath, templates: this.miner.size, streams: this.states.size }, 'detector state loaded');
  }

  /** Parses a state file; a corrupt or incompatible one is renamed aside (kept for a look) and undefined returned. */
  private async parseOrSetAside<T>(path: string, parse: () => T): Promise<T | undefined> {
    try {
      return parse();
    } catch (err) {
      const aside = `${path}.corrupt-${new Date().toISOString().replaceAll(':', '')}`;
      try {
        await rename(path, aside);
      } catch (renameErr) {
        throw new DetectorStateError(path, `invalid (${(err as Error).message}) and cannot be moved aside: ${(renameErr as Error).message}`, { cause: err });
      }
      this.logger?.error(
        { path, kept_as: aside, reason: (err as Error).message.slice(0, 500) },
        `detector state ${path} is corrupt or incompatible: kept aside as ${aside}; starting that part fresh`,
      );
      return undefined;
    }
  }
}

function embedded({ subjects: _subjects, ...s }: Signal): Anomaly {
  return { ...s, detector: 'embedded', analysis: 'full' };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DetectorStateError(path, `cannot read: ${(err as Error).message}`, { cause: err });
  }
}

