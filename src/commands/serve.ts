/** `lookout serve`: runs the sources, windows, analysis and sinks until SIGTERM/SIGINT, then drains and exits 0. */
import { loadConfig, type LoadOptions } from '../config/load.js';
import { createLogger } from '../telemetry/log.js';
import { startLookout } from '../topology/index.js';

export async function runServe(opts: LoadOptions): Promise<number> {
  const config = await loadConfig(opts);
  const logger = createLogger();
  // Listen for signals before the sources open: a SIGTERM arriving while they start must still drain, not kill.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'signal received');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  const lookout = await startLookout(config, { logger });
  await stopped;
  const report = await lookout.shutdown();
  return report.drained ? 0 : 1;
}
