/**
 * Silence signal: a stream that usually logs (at least `silence.min_baseline`
 * lines per window after warm-up, or half that in windows that come like
 * clockwork) and has
 * sent nothing for `silence.after_windows` of its usual intervals between
 * windows — the mean plus one standard deviation, so a stream with scattered
 * gaps needs a longer silence than a heartbeat (never less than `silence.min_seconds`).
 *
 * All times are on the stream's one window axis (README "Time"; the windows
 * stage places every record on it): arrival time in `windows.time: arrival`,
 * the records' own clock in event mode and in `lookout analyze`. So a replayed
 * day finds its silences, and a host whose clock is hours off is not "silent".
 * Found two ways, reported once per silence either way:
 * - live (`silenceSignal`): the stream's current time, from the windows
 *   stage, is far past the last record it sent, counting records still in its
 *   open window;
 * - on resumption (`silenceGapSignal`): a stream's window starts long after
 *   its previous one ended, which is how history shows a silence that ended
 *   before anyone looked (a file replay, event-time windows).
 * The stream's next window re-arms it.
 */
import type { Window } from '../../windows/window.js';
import type { DetectorConfig } from './config.js';
import type { StreamState } from './stream_state.js';
import { bandScore, plural, type Signal, type SignalContext } from './signal.js';

/** The windows stage's view of each stream's clock. */
export interface SilenceClock {
  /** The stream's current time on its window axis, epoch ms. */
  streamNow(stream: string): number;
  /** Latest axis time of the records in the stream's open window (not yet analyzed), if any. */
  openUntil(stream: string): number | undefined;
}

/** Live: the stream has been quiet for too long up to now. */
export function silenceSignal(state: StreamState, clock: SilenceClock, cfg: DetectorConfig): Signal | undefined {
  const limit = silenceLimit(state, cfg);
  if (limit === undefined) return undefined;
  const last = Math.max(state.lastArrival, clock.openUntil(state.stream) ?? 0);
  const quiet = clock.streamNow(state.stream) - last;
  return quiet < limit ? undefined : silence(state, quiet, limit);
}

/** On resumption: the window about to be analyzed starts long after the stream's previous window ended. */
export function silenceGapSignal({ summary, state, cfg }: SignalContext): Signal | undefined {
  const limit = silenceLimit(state, cfg);
  if (limit === undefined || state.windows === 0) return undefined;
  const quiet = firstTime(summary.window) - state.lastArrival;
  if (quiet < limit) return undefined;
  return silence(state, quiet, limit, firstTime(summary.window));
}

/** Quiet time (ms) beyond which the stream counts as silent, or undefined when it cannot fall silent (yet). */
function silenceLimit(state: StreamState, cfg: DetectorConfig): number | undefined {
  const { silence } = cfg;
  const interval = state.interval;
  if (!silence.enabled || state.silenceReported || !interval) return undefined;
  const spread = Math.sqrt(interval.variance);
  // A stream whose windows come like clockwork (a heartbeat once a minute) may fall silent with half as many lines.
  const regular = spread <= REGULAR_SPREAD * interval.mean && state.lines.mean >= silence.min_baseline / 2;
  if (state.windows < cfg.warmup_windows || (state.lines.mean < silence.min_baseline && !regular)) return undefined;
  // Usual intervals as the mean plus one standard deviation: a heartbeat's gaps barely vary, a stream of
  // scattered logins has gaps of several windows now and then.
  return Math.max(silence.after_windows * (interval.mean + spread), silence.min_seconds * 1000);
}

/** Interval spread (standard deviation over mean) at or below which a stream's windows count as regular. */
const REGULAR_SPREAD = 0.25;

function firstTime(window: Window): number {
  return window.records.reduce((m, r) => Math.min(m, r.timestamp), Infinity);
}

function silence(state: StreamState, quiet: number, limit: number, resumedAt?: number): Signal {
  const minutes = Math.max(1, Math.round(quiet / 60_000));
  const since = new Date(state.lastArrival).toISOString();
  const what =
    resumedAt === undefined
      ? `has sent no logs for ${plural(minutes, 'minute')} since ${since}`
      : `sent no logs for ${plural(minutes, 'minute')}, from ${since} to ${new Date(resumedAt).toISOString()}`;
  return {
    type: 'silence',
    severity: 'medium',
    score: bandScore('medium', Math.min(1, quiet / limit - 1)),
    summary: `${state.service} on ${state.host} ${what}, though it usually sends about ${Math.round(state.lines.mean)} lines every ${Math.round(state.interval!.mean / 1000)} seconds.`,
    evidence: [],
    recommended_action: `Check that ${state.service} on ${state.host} is still running and that its log shipper (Vector or Fluent Bit) still forwards its output.`,
    templates: [],
  };
}
