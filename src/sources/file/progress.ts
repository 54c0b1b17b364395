/**
 * A progress bar for `lookout analyze` on large files (cli-progress,
 * https://github.com/npkgz/cli-progress), drawn on stderr so stdout stays
 * clean for anomalies. It appears only when stderr is a terminal and the
 * input's size is known and above `minBytes` (50 MB by default); otherwise
 * the reporter writes nothing at all. Call `done()` when reading ends (also
 * on error): the bar runs a redraw timer until then.
 */
import { SingleBar } from 'cli-progress';

export const DEFAULT_PROGRESS_MIN_BYTES = 50 * 1024 * 1024;

export type ProgressReporter = ((bytesRead: number, totalBytes: number | undefined) => void) & { done(): void };

const MB = 1024 * 1024;

export function progressReporter(
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
  opts: { minBytes?: number } = {},
): ProgressReporter {
  const minBytes = opts.minBytes ?? DEFAULT_PROGRESS_MIN_BYTES;
  let bar: SingleBar | undefined;
  let decided = false;

  const report = (bytesRead: number, totalBytes: number | undefined): void => {
    if (!decided) {
      decided = true;
      if (stderr.isTTY !== true || totalBytes === undefined || totalBytes <= minBytes) return;
      bar = new SingleBar({
        stream: stderr,
        format: 'reading {bar} {percentage}% | {read}/{size} MB | ETA {eta_formatted}',
        barsize: 30,
        clearOnComplete: true,
        // Leave SIGINT to the CLI: cli-progress's handler would swallow the first Ctrl-C.
        gracefulExit: false,
      });
      bar.start(totalBytes, 0, { read: '0', size: (totalBytes / MB).toFixed(0) });
    }
    bar?.update(bytesRead, { read: (bytesRead / MB).toFixed(0) });
  };
  return Object.assign(report, {
    done(): void {
      bar?.stop();
      bar = undefined;
    },
  });
}
