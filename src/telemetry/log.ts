/**
 * Lookout's own logs: structured JSON lines on stderr (pino, https://getpino.io).
 * stdout stays free for anomaly records (the stdout sink, `lookout analyze`).
 * LOOKOUT_LOG_LEVEL overrides the level (tests set `silent`).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Why LOOKOUT_LOG_LEVEL cannot be used, or undefined when it is unset or one of LOG_LEVELS. */
export function logLevelProblem(env: NodeJS.ProcessEnv): string | undefined {
  const level = env.LOOKOUT_LOG_LEVEL;
  if (level === undefined || (LOG_LEVELS as readonly string[]).includes(level)) return undefined;
  return `LOOKOUT_LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`;
}

/** Commands load the configuration first, which refuses a bad LOOKOUT_LOG_LEVEL (logLevelProblem) with exit 2. */
export function createLogger(level: string = process.env.LOOKOUT_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'lookout' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}
