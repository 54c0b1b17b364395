/**
 * Errors of the template miner, with the file and the reason they concern.
 */

/** A saved miner state that cannot be read or does not validate. */
export class TemplateStateError extends Error {
  constructor(
    readonly path: string | undefined,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`template state${path ? ` ${path}` : ''}: ${reason}`, options);
    this.name = 'TemplateStateError';
  }
}
