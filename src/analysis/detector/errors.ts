/**
 * Errors of the embedded detector, with the file and the reason they concern.
 */

/** Saved detector state (templates.json / baselines.json) that cannot be read or does not validate. */
export class DetectorStateError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`detector state ${path}: ${reason}`, options);
    this.name = 'DetectorStateError';
  }
}
