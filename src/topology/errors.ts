/**
 * Start-up errors of the running service, each mapped by the CLI to one line
 * and exit code 1 (no stack trace): they are the operator's to fix.
 */

/** A source could not listen: the message names the address, the port and the option (and flag) that set it. */
export class ListenError extends Error {
  constructor(
    readonly source: 'http' | 'forward',
    readonly address: string,
    readonly port: number,
    cause: NodeJS.ErrnoException,
  ) {
    const option = `sources.${source}.port (--${source}-port)`;
    const why = cause.code === 'EADDRINUSE' ? 'address already in use' : cause.code === 'EACCES' ? 'permission denied' : cause.message;
    super(`cannot listen on ${address}:${port} for the ${source} source: ${why}; choose another ${option}`, { cause });
    this.name = 'ListenError';
  }
}
