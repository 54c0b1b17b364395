/**
 * FileSourceError: why `lookout analyze` could not read its input (missing
 * file, a directory, no permission, a read failure part-way). Carries the path
 * and, for failures during the read, the byte offset reached; the CLI maps it
 * to exit code 2.
 */
export class FileSourceError extends Error {
  override readonly name: string = 'FileSourceError';

  constructor(
    message: string,
    readonly path: string,
    /** Node's error code (ENOENT, EACCES, EISDIR, …) when the OS gave one. */
    readonly code?: string,
    /** Bytes read before the failure, when it happened mid-read. */
    readonly byteOffset?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A format the user forced (`--format`, `sources.file.format`, a pattern)
 * that reads none of the first lines of the input: replaying a week as raw
 * lines would be a silent waste, so `analyze` stops before analysing.
 */
export class FormatMismatchError extends FileSourceError {
  override readonly name = 'FormatMismatchError';
}
