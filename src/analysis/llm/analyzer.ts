/**
 * LlmAnalyzer: wraps any Analyzer (the embedded detector in production) and
 * has a model read the windows the gate selects (`gated`), every window
 * (`always`) or none (`off`).
 *
 * Per window: run the inner analyzer; redact the lines, the compressed view
 * and the detector's findings with one Redactor (so placeholders agree);
 * answer from the cache, or — within the hourly token budget, the breaker,
 * the queue bound and the retry policy — ask the model, re-asking once with
 * the validation error when the answer is malformed; ground the answer's
 * evidence in the redacted lines; merge with the detector's anomalies.
 *
 * Guarantees: a window is never lost — whenever the model cannot be used the
 * inner result comes back with its anomalies marked `analysis: degraded`,
 * counted in lookout_llm_degraded_windows_total and logged. Nothing
 * unredacted is sent. Evidence from the model is always a real window line
 * in redacted form (never mapped back to the secret). analyze() never throws
 * for model or network trouble.
 */
import type { Logger } from 'pino';
import type { Metrics } from '../../telemetry/metrics.js';
import type { Window } from '../../windows/window.js';
import { HEALTHS, type Anomaly, type WindowHealth } from '../anomaly.js';
import { shorten } from '../detector/signal.js';
import type { AnalysisResult, Analyzer, LlmUsage } from '../analyzer.js';
import { buildPrompt, renderLines, repairMessage } from '../prompt.js';
import { Redactor } from '../redaction/redactor.js';
import { BREAKER_STATE_VALUE, CircuitBreaker } from './breaker.js';
import { TokenBudget } from './budget.js';
import { AnswerCache } from './cache.js';
import { LlmClient, type ChatMessage, type Completion } from './client.js';
import type { LlmConfig } from './config.js';
import { InvalidAnswerError, LlmUnavailableError, type DegradedReason } from './errors.js';
import { groundAnswer } from './grounding.js';
import { BoundedLimiter } from './limiter.js';
import { mergeAnomalies } from './merge.js';
import { createLlmMetrics, type LlmMetrics } from './metrics.js';
import { abortableSleep, ResilientCaller } from './resilience.js';
import { parseAnswer, type LlmAnswer } from './schema.js';

export interface LlmAnalyzerDeps {
  metrics: Metrics;
  logger: Logger;
  /** Clock for the breaker, budget and Retry-After dates; Date.now by default. */
  now?: () => number;
  /** Jitter source, 0..1; Math.random by default. */
  rng?: () => number;
  /** Back-off wait; tests pass one that records the delay instead of sleeping. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Where OPENAI_API_KEY / AZURE_OPENAI_API_KEY are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

interface Asked {
  answer: LlmAnswer;
  usage: LlmUsage;
}

/**
 * What of an invalid answer goes back to the model in the repair request: enough
 * to see the mistake, never the whole thing (a runaway answer of megabytes would
 * be sent back, and billed, in full).
 */
const MAX_ECHOED_ANSWER_CHARS = 4000;
const MAX_ECHOED_ERROR_CHARS = 500;

const HEALTH_RANK: Record<WindowHealth, number> = Object.fromEntries(HEALTHS.map((h, i) => [h, i])) as Record<WindowHealth, number>;

export class LlmAnalyzer implements Analyzer {
  readonly name = 'llm';
  private readonly client: LlmClient;
  private readonly caller: ResilientCaller;
  private readonly breaker: CircuitBreaker;
  private readonly budget: TokenBudget;
  private readonly cache: AnswerCache;
  private readonly metrics: LlmMetrics;
  private readonly logger: Logger;
  /** Identical windows arriving together share one request. */
  private readonly inflight = new Map<string, Promise<Asked>>();
  private readonly closing = new AbortController();

  constructor(
    private readonly inner: Analyzer,
    private readonly cfg: LlmConfig,
    deps: LlmAnalyzerDeps,
  ) {
    const now = deps.now ?? Date.now;
    this.logger = deps.logger.child({ component: 'llm' });
    this.metrics = createLlmMetrics(deps.metrics.registry);
    this.client = new LlmClient(cfg, this.metrics, deps.env);
    this.breaker = new CircuitBreaker({
      failures: cfg.breaker.failures,
      cooldownMs: cfg.breaker.cooldown_seconds * 1000,
      now,
      onStateChange: (state) => {
        this.metrics.breakerState.set(BREAKER_STATE_VALUE[state]);
        this.logger.warn({ endpoint: this.client.endpoint, state }, `LLM circuit breaker ${state.replace('_', '-')}`);
      },
    });
    this.metrics.breakerState.set(BREAKER_STATE_VALUE.closed);
    this.caller = new ResilientCaller({
      breaker: this.breaker,
      limiter: new BoundedLimiter(cfg.concurrency, cfg.queue_size, (n) => this.metrics.queueDepth.set(n)),
      backoff: { baseMs: cfg.backoff_base_ms, maxMs: cfg.backoff_max_ms, rng: deps.rng ?? Math.random },
      retries: cfg.retries,
      endpoint: this.client.endpoint,
      now,
      sleep: deps.sleep ?? abortableSleep,
      onRetry: ({ attempt, delayMs, error }) =>
        this.logger.info({ endpoint: this.client.endpoint, attempt, delay_ms: Math.round(delayMs), err: message(error) }, 'retrying LLM request'),
    });
    this.budget = new TokenBudget(cfg.hourly_token_budget, now);
    this.cache = new AnswerCache(cfg.cache_size);
  }

  async analyze(window: Window): Promise<AnalysisResult> {
    const base = await this.inner.analyze(window);
    if (this.cfg.mode === 'off' || (this.cfg.mode === 'gated' && !base.gate?.send)) {
      this.metrics.windows.inc({ outcome: 'not_sent' });
      return base;
    }
    const redactor = new Redactor(this.cfg.redaction);
    // Lines first: values found there are then also caught where the view shows them without their key.
    const lines = window.records.map((r) => redactor.redact(r.message));
    const view = base.view !== undefined ? redactor.redact(base.view) : renderLines(lines);
    const serviceContext = this.cfg.services[window.service];
    const key = AnswerCache.key([this.cfg.azure?.deployment ?? this.cfg.model, serviceContext ?? '', view]);

    const cached = this.cache.get(key);
    if (cached) {
      this.metrics.cacheHits.inc();
      this.metrics.windows.inc({ outcome: 'cached' });
      return this.combine(base, lines, cached, { promptTokens: 0, completionTokens: 0, cached: true });
    }
    const shared = this.inflight.get(key);
    if (shared) return this.settle(base, lines, shared, true);
    if (this.budget.exhausted()) return this.degrade(base, 'budget_exhausted', undefined, `hourly token budget of ${this.cfg.hourly_token_budget} used`);

    // Names come from record fields and tags, so they can carry what lines carry: same redactor, same placeholders.
    const prompt = buildPrompt({
      service: redactor.redact(window.service),
      host: redactor.redact(window.host),
      stream: redactor.redact(window.stream),
      start: window.start,
      end: window.end,
      lineCount: window.lines,
      view,
      hints: base.anomalies.map((a) => ({ ...a, summary: redactor.redact(a.summary), evidence: a.evidence.map((e) => redactor.redact(e)), type: redactor.redact(a.type) })),
      serviceContext,
    });
    const messages: ChatMessage[] = [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ];
    const asking = this.ask(messages, window).then((asked) => {
      this.cache.set(key, asked.answer);
      return asked;
    });
    this.inflight.set(key, asking);
    try {
      return await this.settle(base, lines, asking, false);
    } finally {
      this.inflight.delete(key);
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.inner.close?.();
  }

  /** Aborts every model call in flight or queued: those windows, and any after, come back degraded at once. */
  abortPending(): void {
    this.closing.abort();
  }

  private async settle(base: AnalysisResult, lines: string[], asking: Promise<Asked>, shared: boolean): Promise<AnalysisResult> {
    try {
      const asked = await asking;
      this.metrics.windows.inc({ outcome: shared ? 'cached' : 'answered' });
      const usage = shared ? { promptTokens: 0, completionTokens: 0, cached: true } : asked.usage;
      return this.combine(base, lines, asked.answer, usage);
    } catch (err) {
      if (err instanceof LlmUnavailableError) return this.degrade(base, err.reason, err, err.message);
      if (err instanceof InvalidAnswerError) return this.degrade(base, 'invalid_answer', err, err.message);
      this.logger.error({ err, stream: base.window.stream }, 'unexpected error in LLM analysis');
      return this.degrade(base, 'error', err, message(err));
    }
  }

  /** Asks the model; on an invalid answer, asks once more with what was wrong. */
  private async ask(messages: ChatMessage[], window: Window): Promise<Asked> {
    const usage: LlmUsage = { promptTokens: 0, completionTokens: 0, cached: false };
    let completion = await this.complete(messages, usage);
    let parsed = parseAnswer(completion.text);
    if (!parsed.ok) {
      this.metrics.invalidAnswers.inc({ attempt: 'first' });
      this.logger.info({ stream: window.stream, format: completion.format, error: parsed.error }, 'invalid LLM answer; asking once more');
      messages.push({ role: 'assistant', content: shorten(completion.text, MAX_ECHOED_ANSWER_CHARS) }, { role: 'user', content: repairMessage(shorten(parsed.error, MAX_ECHOED_ERROR_CHARS)) });
      completion = await this.complete(messages, usage);
      parsed = parseAnswer(completion.text);
      if (!parsed.ok) {
        this.metrics.invalidAnswers.inc({ attempt: 'retry' });
        throw new InvalidAnswerError(this.client.endpoint, parsed.error);
      }
    }
    return { answer: parsed.answer, usage };
  }

  private async complete(messages: ChatMessage[], usage: LlmUsage): Promise<Completion> {
    const signal = this.closing.signal;
    const completion = await this.caller.call(() => this.client.complete(messages, signal), signal);
    usage.promptTokens += completion.promptTokens;
    usage.completionTokens += completion.completionTokens;
    this.metrics.tokens.inc({ kind: 'prompt' }, completion.promptTokens);
    this.metrics.tokens.inc({ kind: 'completion' }, completion.completionTokens);
    this.budget.spend(completion.promptTokens + completion.completionTokens);
    return completion;
  }

  private combine(base: AnalysisResult, lines: string[], answer: LlmAnswer, usage: LlmUsage): AnalysisResult {
    const grounded = groundAnswer(answer, lines, this.cfg.max_anomalies);
    if (grounded.evidenceRemoved) this.metrics.ungrounded.inc({ action: 'evidence_removed' }, grounded.evidenceRemoved);
    if (grounded.anomaliesDropped) this.metrics.ungrounded.inc({ action: 'anomaly_dropped' }, grounded.anomaliesDropped);
    if (grounded.anomaliesDowngraded) this.metrics.ungrounded.inc({ action: 'anomaly_downgraded' }, grounded.anomaliesDowngraded);
    if (grounded.evidenceRemoved || grounded.anomaliesDropped || grounded.anomaliesDowngraded || grounded.totalLinesAnalyzed !== answer.total_lines_analyzed) {
      this.logger.info(
        {
          stream: base.window.stream,
          evidence_removed: grounded.evidenceRemoved,
          anomalies_dropped: grounded.anomaliesDropped,
          anomalies_downgraded: grounded.anomaliesDowngraded,
          lines_claimed: answer.total_lines_analyzed,
          lines: lines.length,
        },
        'LLM answer not fully backed by the window; unbacked parts removed',
      );
    }
    const anomalies = mergeAnomalies(base.anomalies, grounded.anomalies, { rawLines: base.window.records.map((r) => r.message), llmOnlyMaxSeverity: this.cfg.llm_only_max_severity });
    // The model may worsen the window's health only when something it said survived grounding, and to
    // `critical` only with a critical anomaly standing (which a model-only finding cannot be, see merge.ts).
    const ceiling: WindowHealth = anomalies.some((a) => a.severity === 'critical') ? 'critical' : 'degraded';
    const claimed = grounded.anomalies.length > 0 ? lowerHealth(grounded.windowHealth, ceiling) : base.health;
    const health = HEALTH_RANK[claimed] > HEALTH_RANK[base.health] ? claimed : base.health;
    return {
      ...base,
      analyzer: this.name,
      health,
      score: Math.max(base.score, ...anomalies.map((a) => a.score)),
      anomalies,
      llm: usage,
    };
  }

  private degrade(base: AnalysisResult, reason: DegradedReason, err: unknown, detail: string): AnalysisResult {
    this.metrics.degraded.inc({ reason });
    this.metrics.windows.inc({ outcome: 'degraded' });
    this.logger.warn(
      { stream: base.window.stream, reason, detail, anomalies: base.anomalies.length, err: err === undefined ? undefined : message(err) },
      'LLM analysis unavailable; window analysed by the detector alone',
    );
    const anomalies: Anomaly[] = base.anomalies.map((a) => ({ ...a, analysis: 'degraded' }));
    return { ...base, anomalies };
  }
}

function lowerHealth(a: WindowHealth, b: WindowHealth): WindowHealth {
  return HEALTH_RANK[a] <= HEALTH_RANK[b] ? a : b;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
