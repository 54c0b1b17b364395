/**
 * Silence signal: a stream that usually logs (at least `silence.min_baseline`
 * lines per window after warm-up) and has sent nothing for `silence.after_windows`
 * of its usual intervals between windows (never less than `silence.min_seconds`).
 * Reported once per silence; the stream's next window re-arms it. Times are
 * Lookout's arrival times (observedAt), not event times, so replayed or skewed
 * clocks do not fake a silence.
 */
import type { DetectorConfig } from './config.js';
import type { StreamState } from './stream_state.js';
import { bandScore, type Signal } from './signal.js';

export function silenceSignal(state: StreamState, now: number, cfg: DetectorConfig): Signal | undefined {
  const { silence } = cfg;
  if (!silence.enabled || state.silenceReported || !state.interval) return undefined;
  if (state.windows < cfg.warmup_windows || state.lines.mean < silence.min_baseline) return undefined;
  const limit = Math.max(silence.after_windows * state.interval.mean, silence.min_seconds * 1000);
  const quiet = now - state.lastArrival;
  if (quiet < limit) return undefined;
  const minutes = Math.max(1, Math.round(quiet / 60_000));
  return {
    type: 'silence',
    severity: 'medium',
    score: bandScore('medium', Math.min(1, quiet / limit - 1)),
    summary: `${state.service} on ${state.host} has sent no logs for ${minutes} minute${minutes === 1 ? '' : 's'}, though it usually sends about ${Math.round(state.lines.mean)} lines every ${Math.round(state.interval.mean / 1000)} seconds.`,
    evidence: [],
    recommended_action: `Check that ${state.service} on ${state.host} is still running and that its log shipper (Vector or Fluent Bit) still forwards its output.`,
    templates: [],
  };
}
