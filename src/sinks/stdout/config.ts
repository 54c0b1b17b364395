/** `stdout` sink options: NDJSON anomaly records on standard output. */
import { z } from 'zod';
import { bufferShape } from '../delivery/config.js';

export const stdoutOptionsShape = { ...bufferShape(100) };
export const StdoutSinkOptionsSchema = z.strictObject(stdoutOptionsShape);
export type StdoutSinkOptions = z.output<typeof StdoutSinkOptionsSchema>;
