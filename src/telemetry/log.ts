/**
 * Lookout's own logs: structured JSON lines on stderr (pino, https://getpino.io).
 * stdout stays free for anomaly records (the stdout sink, `lookout analyze`).
 * LOOKOUT_LOG_LEVEL overrides the level (tests set `silent`).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOOKOUT_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'lookout' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}
